"""The loopback "simulated" channel: accepts every reply and remembers it by idempotency key."""

from __future__ import annotations

import re
import threading

from socialdesk.ports.inbox import OutboxItem
from socialdesk.ports.services import SendResult


def _external_id(key: str) -> str:
    """A reply's random key, shortened; a chosen one (an incident's `incident-<id>-<conversation>-<kind>`)
    whole, so two of them never share an id."""
    return f"sim-{key[:16]}" if re.fullmatch(r"[0-9a-f]{32}", key) else f"sim-{key}"


class SimulatedSender:
    def __init__(self) -> None:
        self.sent: dict[str, OutboxItem] = {}
        self.send_calls = 0
        self._lock = threading.Lock()

    def send(self, item: OutboxItem) -> SendResult:
        with self._lock:
            self.send_calls += 1
            self.sent[item.idempotency_key] = item
        return SendResult(external_id=_external_id(item.idempotency_key))

    def find_sent(self, item: OutboxItem) -> SendResult | None:
        with self._lock:
            found = item.idempotency_key in self.sent
        return SendResult(external_id=_external_id(item.idempotency_key)) if found else None
