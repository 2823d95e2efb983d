"""Every setting has help text and a place in the docs; every CLI command is documented somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

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
