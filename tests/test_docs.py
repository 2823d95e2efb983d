"""Every setting has help text and a place in the docs; every CLI command is documented somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main
from typer.testing import CliRunner

from socialdesk.cli.main import app
from socialdesk.config import Settings

REPO = Path(__file__).resolve().parent.parent
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
DOCS = "\n".join(page.read_text(encoding="utf-8") for page in PAGES)


def _commands() -> list[str]:
    out: list[str] = []

    def walk(command: object, prefix: str) -> None:
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            full = f"{prefix} {name}".strip()
            if getattr(sub, "commands", None):
                walk(sub, full)
            else:
                out.append(full)

    walk(typer.main.get_command(app), "")
    return out


def test_every_setting_has_a_description_and_is_documented() -> None:
    missing_help = [name for name, field in Settings.model_fields.items() if not field.description]
    assert missing_help == []
    undocumented = [name for name in Settings.model_fields if f"SOCIALDESK_{name.upper()}" not in DOCS]
    assert undocumented == []


def test_every_command_is_documented() -> None:
    commands = _commands()
    assert len(commands) > 20
    undocumented = [c for c in commands if not re.search(rf"socialdesk {re.escape(c)}\b", DOCS)]
    assert undocumented == []


def test_changelog_contributing_and_security_page_are_there_and_linked() -> None:
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog
    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for how_to in ("## Add a network", "## Add a repository", "## Add an action", "## Add a route"):
        assert how_to in contributing
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for page in ("docs/security.md", "CONTRIBUTING.md", "CHANGELOG.md"):
        assert f"]({page})" in readme
        assert (REPO / page).is_file()


def test_the_version_has_one_source_and_the_package_is_typed() -> None:
    import tomllib

    import socialdesk

    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert socialdesk.__version__ == pyproject["project"]["version"]
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"socialdesk {pyproject['project']['version']}"
    assert (REPO / "src" / "socialdesk" / "py.typed").is_file()
    assert "py.typed" in pyproject["tool"]["setuptools"]["package-data"]["socialdesk"]


def _documented_event_kinds() -> dict[str, str]:
    api = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    section = api.split("## Live events", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| (.+) \|$", section, flags=re.MULTILINE)
    return dict(rows)


def test_the_event_kinds_in_the_api_docs_are_the_registry() -> None:
    from socialdesk.domain.events import DESCRIPTIONS, EventKind

    assert set(DESCRIPTIONS) == set(EventKind), "every event kind needs a one-line description"
    registry = {kind.value: DESCRIPTIONS[kind] for kind in EventKind}
    assert _documented_event_kinds() == registry
