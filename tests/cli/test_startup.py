"""`socialdesk --help` starts at once: the CLI imports only typer and light modules until a command runs.

Asserted on what is imported (``python -X importtime`` in a fresh process), not on a wall clock: the
suite runs on busy machines. The child's CPU time is bounded loosely, the module count tightly.
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys

import pytest
import typer.main
from typer.testing import CliRunner

from socialdesk.cli import core
from socialdesk.cli.main import app

# Each of these (or a module under it) costs tens to hundreds of milliseconds, or pulls in most of the
# package: a command imports them when it runs, never `--help`. (Not pydantic itself: typer converts
# some parameter values with it while it shows a command's help.)
HEAVY = (
    "sqlalchemy", "alembic", "fastapi", "starlette", "uvicorn", "numpy", "httpx", "jsonschema", "yaml",
    "pydantic_settings", "nats", "argon2", "cryptography", "jinja2",
    "socialdesk.config", "socialdesk.runtime", "socialdesk.storage", "socialdesk.web",
    "socialdesk.actions", "socialdesk.triage", "socialdesk.training", "socialdesk.listening",
    "socialdesk.channels", "socialdesk.ingest", "socialdesk.bus", "socialdesk.workers",
    "socialdesk.bench", "socialdesk.cluster", "socialdesk.demo", "socialdesk.ports",
)  # fmt: skip
MAX_MODULES = 600  # 386 with typer's rich help today; the eager CLI imported about 1,200
# CPU seconds of the whole `--help` run (the machine's load does not stretch them as it does the wall
# clock): about 0.2 today; the eager CLI took over 2 s.
MAX_CPU_SECONDS = 1.5


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run_importtime(*args: str) -> tuple[list[tuple[str, int]], float]:
    """(module, own import microseconds) of each module a fresh ``python -X importtime`` run imports,
    and the CPU seconds the run took."""
    before = _cpu_of_children()
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    cpu = _cpu_of_children() - before
    found = re.findall(r"^import time:\s+(\d+) \|\s+\d+ \|\s+(\S+)$", done.stderr, re.MULTILINE)
    return [(name, int(own)) for own, name in found], cpu


def _heavy(modules: list[str]) -> list[str]:
    return sorted(name for name in modules if any(name == h or name.startswith(h + ".") for h in HEAVY))


def test_help_imports_no_heavy_module() -> None:
    imported, cpu = _run_importtime("-m", "socialdesk.cli.main", "--help")
    names = [name for name, _ in imported]
    assert "typer" in names  # the run did import the CLI
    assert _heavy(names) == []
    assert len(names) < MAX_MODULES
    assert 0 < cpu < MAX_CPU_SECONDS


_EVERY_HELP = """
import sys
import typer.main
from typer.testing import CliRunner
from socialdesk.cli.main import app

paths = []
def walk(command, prefix):
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        paths.append([*prefix, name])
        walk(sub, [*prefix, name])
walk(typer.main.get_command(app), [])
runner = CliRunner()
for path in paths:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, (path, result.output)
print(len(paths))
print(" ".join(sorted(sys.modules)))
"""


def test_every_command_help_imports_no_heavy_module() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _EVERY_HELP], capture_output=True, text=True, check=True, timeout=300
    )
    count, modules = done.stdout.splitlines()
    assert int(count) > 40
    assert _heavy(modules.split()) == []


def _command_paths() -> list[list[str]]:
    paths: list[list[str]] = []

    def walk(command: object, prefix: list[str]) -> None:
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            paths.append([*prefix, name])
            walk(sub, [*prefix, name])

    walk(typer.main.get_command(app), [])
    return paths


@pytest.mark.parametrize("path", _command_paths(), ids=" ".join)
def test_every_command_shows_its_help(path: list[str]) -> None:
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert f"socialdesk {' '.join(path)}" in " ".join(result.output.split())
    summary = (command.help or "").strip().splitlines()[0].split(":")[0][:30]
    assert " ".join(summary.split()) in " ".join(result.output.split())


def test_ingest_formats_are_the_readers() -> None:
    from socialdesk.ingest.readers import FORMATS

    assert core.FORMATS == FORMATS
