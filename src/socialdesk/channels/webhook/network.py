"""The generic webhook network's descriptor: any system pushes signed normalized posts to
``/api/v1/webhooks/generic/{id}``; no client of ours runs, nothing is sent back."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from socialdesk.channels.registry import NetworkDescriptor
from socialdesk.ports.channels import NetworkSchema

if TYPE_CHECKING:
    from socialdesk.channels.framework import PostDict

WEBHOOK_PATH = "/api/v1/webhooks/generic/{id}"


def _parse(payload: Any, received_at: datetime, settings: Mapping[str, Any]) -> list[PostDict]:
    from socialdesk.channels.webhook.verify import parse_body

    return parse_body(payload).posts


DESCRIPTOR = NetworkDescriptor(
    name="webhook",
    label="Signed webhook",
    summary="any system POSTs signed normalized posts; inbound only (no way back)",
    schema=NetworkSchema(
        required_secrets=("secret",),
        generated_secrets=("secret",),
        docs={"secret": "the HMAC-SHA256 signing secret (made up and shown once when not given)"},
    ),
    inbound=("webhook",),
    parse=_parse,
    no_probe="nothing to call: webhook sources receive signed POSTs at " + WEBHOOK_PATH,
    no_backfill="webhook sources push their posts; ask the sender to send them again",
    webhook_path=WEBHOOK_PATH,
)
