"""The loopback "simulated" channel: accepts every reply and remembers it by idempotency key."""

from __future__ import annotations

import threading

from socialdesk.ports import OutboxItem, SendResult


class SimulatedSender:
    def __init__(self) -> None:
        self.sent: dict[str, OutboxItem] = {}
        self.send_calls = 0
        self._lock = threading.Lock()

    def send(self, item: OutboxItem) -> SendResult:
        with self._lock:
            self.send_calls += 1
            self.sent[item.idempotency_key] = item
        return SendResult(external_id=f"sim-{item.idempotency_key[:16]}")

    def find_sent(self, item: OutboxItem) -> SendResult | None:
        with self._lock:
            found = item.idempotency_key in self.sent
        return SendResult(external_id=f"sim-{item.idempotency_key[:16]}") if found else None
