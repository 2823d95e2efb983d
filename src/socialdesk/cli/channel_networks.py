"""`socialdesk channels networks`: what each network accounts can be connected on takes, from the
network registry (`channels/registry.py`)."""

from __future__ import annotations

import json
from typing import Any

import typer

from socialdesk.cli.channels import channels_app


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    """The command is on ``channels_app``, which `cli.channels` registers."""


@channels_app.command("networks")
def networks_() -> None:
    """One JSON line per network accounts can be connected on: its settings, secrets and modes."""
    from socialdesk.channels.registry import REGISTRY

    for d in REGISTRY:
        schema = d.schema
        line: dict[str, Any] = {
            "network": d.name,
            "label": d.label,
            "summary": d.summary,
            "inbound": list(d.inbound),
            "modes": list(schema.modes),
            "settings": {name: schema.docs.get(name, "") for name in schema.settings},
            "required_settings": list(schema.required_settings),
            "secrets": {name: schema.docs.get(name, "") for name in schema.secrets},
            "required_secrets": list(schema.required_secrets),
            "sends": d.sender is not None,
            "private_messages": d.private_messages,
            "webhook_path": d.webhook_path,
        }
        typer.echo(json.dumps(line))
