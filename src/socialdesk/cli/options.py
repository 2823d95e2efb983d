"""Options and helpers shared by CLI commands.

The CLI modules import only this, typer and the standard library at the top: everything else (the
runtime, storage, actions, pydantic settings) is imported inside the command that needs it, so
`socialdesk --help` and quick commands start at once (tests/cli/test_startup.py holds them to it).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from socialdesk.config import Settings

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL; default: SOCIALDESK_DATABASE_URL or sqlite:///var/socialdesk.db"
    ),
]
WorkspaceOption = Annotated[str, typer.Option("--workspace", "-w", help="Workspace slug.")]


def settings_for(db: str | None) -> Settings:
    from socialdesk.config import Settings

    return Settings(database_url=db) if db else Settings()


def fail(message: str, code: int = 1) -> NoReturn:
    """Exit non-zero with a one-line reason on stderr."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def progress_enabled() -> bool:
    return sys.stderr.isatty()


def subgroup(app: typer.Typer, name: str, help_text: str) -> typer.Typer:
    """The command group `name` of `app`, made (with `help_text`) by whichever module asks first: two
    rooms can each add commands under one name (`socialdesk evaluate` and `evaluate incidents`)."""
    for info in app.registered_groups:
        if info.name == name and info.typer_instance is not None:
            return info.typer_instance
    group = typer.Typer(help=help_text, invoke_without_command=True)
    app.add_typer(group, name=name)
    return group
