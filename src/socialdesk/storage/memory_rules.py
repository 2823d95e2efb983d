"""In-memory repositories: the outbox, monitors and their matches, spam rules and triage feedback."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from socialdesk.domain.monitor import Monitor
from socialdesk.domain.noise import SpamRule, SpamRuleKind
from socialdesk.domain.post import Visibility
from socialdesk.ports import (
    Feedback,
    NewMonitor,
    OutboxItem,
)
from socialdesk.storage.memory_errors import IntegrityError
from socialdesk.storage.memory_tables import _Repo

FORGET_RELAYS_AFTER = timedelta(hours=1)  # as storage/sql_outbox.py


class _Outbox(_Repo):
    def add(
        self,
        workspace_id: int,
        message_id: int,
        channel: str,
        idempotency_key: str,
        payload: dict[str, Any],
        now: datetime,
    ) -> OutboxItem:
        if any(o.idempotency_key == idempotency_key for o in self.t.outbox.values()):
            raise IntegrityError(f"outbox key {idempotency_key!r} exists")
        item = OutboxItem(
            self.t.new_id("outbox"),
            workspace_id,
            message_id,
            channel,
            idempotency_key,
            payload,
            "pending",
            0,
            now,
        )
        self.t.outbox[item.id] = item
        return item

    def pending(self, limit: int) -> list[OutboxItem]:
        return sorted((o for o in self.t.outbox.values() if o.status == "pending"), key=lambda o: o.id)[
            :limit
        ]

    def claim(self, relay: str, limit: int, now: datetime, dead_before: datetime) -> list[OutboxItem]:
        def holder_alive(o: OutboxItem) -> bool:
            beat = self.t.relays.get(self.t.claimed_by.get(o.id) or "")
            return beat is not None and beat >= dead_before

        ready = sorted(
            (
                o
                for o in self.t.outbox.values()
                if o.status == "pending" or (o.status == "sending" and not holder_alive(o))
            ),
            key=lambda o: o.id,
        )[:limit]
        for o in ready:
            self.t.outbox[o.id] = replace(o, status="sending")
            self.t.claims[o.id] = now
            self.t.claimed_by[o.id] = relay
        return [self.t.outbox[o.id] for o in ready]

    def begin_attempt(
        self, item_id: int, relay: str, now: datetime, alive_after: datetime
    ) -> datetime | None:
        beat = self.t.relays.get(relay)
        if beat is None or beat < alive_after:
            return None
        self.t.relays[relay] = now
        o = self.t.outbox[item_id]
        if o.status != "sending" or self.t.claimed_by.get(item_id) != relay:
            return None
        if o.attempted_at is None:
            o = self.t.outbox[item_id] = replace(o, attempted_at=now)
        return o.attempted_at

    def _holds(self, item_id: int, relay: str | None) -> bool:
        if relay is None:
            return True
        return self.t.outbox[item_id].status == "sending" and self.t.claimed_by.get(item_id) == relay

    def mark_sent(self, item_id: int, external_id: str, now: datetime, *, relay: str | None = None) -> bool:
        if not self._holds(item_id, relay):
            return False
        o = self.t.outbox[item_id]
        self.t.outbox[item_id] = replace(
            o, status="sent", external_id=external_id, sent_at=now, attempts=o.attempts + 1
        )
        self.t.claimed_by.pop(item_id, None)
        return True

    def mark_failed(self, item_id: int, error: str, give_up: bool, *, relay: str | None = None) -> bool:
        if not self._holds(item_id, relay):
            return False
        o = self.t.outbox[item_id]
        status = "failed" if give_up else "pending"
        self.t.outbox[item_id] = replace(o, status=status, last_error=error[:2000], attempts=o.attempts + 1)
        self.t.claimed_by.pop(item_id, None)
        return True

    def join_relay(self, relay: str, host: str, pid: int, now: datetime) -> None:
        for token, beat in list(self.t.relays.items()):
            if beat < now - FORGET_RELAYS_AFTER:
                del self.t.relays[token]
        self.t.relays[relay] = now

    def beat(self, relay: str, now: datetime) -> bool:
        if relay not in self.t.relays:
            return False
        self.t.relays[relay] = now
        return True

    def leave_relay(self, relay: str) -> int:
        released = [i for i, holder in self.t.claimed_by.items() if holder == relay]
        for item_id in released:
            del self.t.claimed_by[item_id]
            o = self.t.outbox[item_id]
            if o.status == "sending":
                self.t.outbox[item_id] = replace(o, status="pending")
        self.t.relays.pop(relay, None)
        return sum(1 for i in released if self.t.outbox[i].status == "pending")

    def get(self, item_id: int) -> OutboxItem | None:
        return self.t.outbox.get(item_id)


class _Monitors(_Repo):
    def _live(self, workspace_id: int) -> list[Monitor]:
        return [
            m for m in self.t.monitors.values() if m.workspace_id == workspace_id and m.deleted_at is None
        ]

    def add(self, workspace_id: int, monitor: NewMonitor, now: datetime) -> Monitor:
        if self.get_by_name(workspace_id, monitor.name) is not None:
            raise IntegrityError(f"monitor {monitor.name!r} exists")
        found = Monitor(
            self.t.new_id("monitors"), workspace_id, monitor.name, monitor.query, monitor.kind, monitor.mode,
            monitor.exclude_authors, monitor.exclude_terms, True, now, now, monitor.brand_account_ids,
        )  # fmt: skip
        self.t.monitors[found.id] = found
        return found

    def list(self, workspace_id: int, *, active_only: bool = False) -> list[Monitor]:
        found = [m for m in self._live(workspace_id) if m.is_active or not active_only]
        return sorted(found, key=lambda m: m.name)

    def get_by_name(self, workspace_id: int, name: str) -> Monitor | None:
        return next((m for m in self._live(workspace_id) if m.name == name), None)

    def get(self, workspace_id: int, monitor_id: int) -> Monitor | None:
        m = self.t.monitors.get(monitor_id)
        return m if m is not None and m.workspace_id == workspace_id and m.deleted_at is None else None

    def update(self, monitor: Monitor, now: datetime) -> Monitor:
        same_name = self.get_by_name(monitor.workspace_id, monitor.name)
        if same_name is not None and same_name.id != monitor.id:
            raise IntegrityError(f"monitor {monitor.name!r} exists")
        stored = replace(monitor, updated_at=now)
        self.t.monitors[monitor.id] = stored
        return stored

    def delete(self, workspace_id: int, monitor_id: int, now: datetime) -> None:
        found = self.get(workspace_id, monitor_id)
        if found is not None:
            self.t.monitors[monitor_id] = replace(found, deleted_at=now)

    def record_matches(self, workspace_id: int, pairs: Sequence[tuple[int, int]], now: datetime) -> None:
        for pair in pairs:
            if pair in self.t.matches:
                raise IntegrityError(f"match {pair} exists")
            self.t.matches[pair] = workspace_id

    def match_counts(self, workspace_id: int) -> dict[int, int]:
        counts: dict[int, int] = {}
        for (monitor_id, _), ws in self.t.matches.items():
            if ws == workspace_id:
                counts[monitor_id] = counts.get(monitor_id, 0) + 1
        return counts


class _Rules(_Repo):
    def add_spam_rule(self, workspace_id: int, kind: SpamRuleKind, value: str, now: datetime) -> SpamRule:
        if any(
            (r.workspace_id, r.kind, r.value) == (workspace_id, kind, value)
            for r in self.t.spam_rules.values()
        ):
            raise IntegrityError(f"spam rule {kind}:{value} exists")
        rule = SpamRule(self.t.new_id("spam_rules"), workspace_id, kind, value)
        self.t.spam_rules[rule.id] = rule
        return rule

    def spam_rules(self, workspace_id: int) -> list[SpamRule]:
        return [r for r in self.t.spam_rules.values() if r.workspace_id == workspace_id]

    def delete_spam_rule(self, workspace_id: int, rule_id: int) -> bool:
        rule = self.t.spam_rules.get(rule_id)
        if rule is None or rule.workspace_id != workspace_id:
            return False
        del self.t.spam_rules[rule_id]
        return True

    def add_feedback(
        self, workspace_id: int, message_id: int, user_id: int, field: str, label: str, now: datetime
    ) -> None:
        self.t.feedback[self.t.new_id("feedback")] = (workspace_id, message_id, field, label, now)

    def feedback(self, workspace_id: int | None) -> list[Feedback]:
        out = []
        for _, (ws, message_id, field_name, label, at) in sorted(self.t.feedback.items()):
            message = self.t.messages[message_id]
            if message.visibility is not Visibility.PUBLIC:
                continue  # a DM's text never leaves in a training file
            if workspace_id is None or ws == workspace_id:
                out.append(Feedback(message_id, message.text, field_name, label, at))
        return out
