"""The `socialdesk` command: one Typer app; each room registers its commands from its own module.

Command modules are imported for every call, `--help` included: at their top they import typer, the
standard library and `socialdesk.cli.options` only, and each command imports what it needs (runtime,
actions, storage, settings...) inside its function. tests/cli/test_startup.py holds `--help` to it.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="socialdesk",
    help="socialdesk: open-source social customer care.",
    no_args_is_help=True,
    add_completion=False,
)


def _print_version(value: bool) -> None:
    if value:
        from socialdesk import __version__

        typer.echo(f"socialdesk {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """socialdesk: open-source social customer care."""


bench_app = typer.Typer(help="Benchmarks: each prints a JSON object with figures and a ratio to a baseline.")
app.add_typer(bench_app, name="bench")

# Each module defines `register(app, bench_app)`. A module that is not there yet is skipped.
_COMMAND_MODULES = (
    "socialdesk.cli.core",
    "socialdesk.cli.match",
    "socialdesk.cli.monitors",
    "socialdesk.cli.rules",
    "socialdesk.cli.scaleout",
    "socialdesk.cli.dev_cluster",
    "socialdesk.cli.triage",
    "socialdesk.cli.care",
    "socialdesk.cli.channels",
    "socialdesk.cli.channel_networks",
    "socialdesk.cli.incidents",
    "socialdesk.cli.knowledge",
)


def _register_all() -> None:
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(app, bench_app)


_register_all()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
