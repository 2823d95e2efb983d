"""SQL repository for spam rules and triage corrections."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, insert, select

from socialdesk.domain.noise import SpamRule, SpamRuleKind
from socialdesk.domain.post import Visibility
from socialdesk.ports.listening import Feedback
from socialdesk.storage import schema as s


class SqlRules:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_spam_rule(self, workspace_id: int, kind: SpamRuleKind, value: str, now: datetime) -> SpamRule:
        values = {"workspace_id": workspace_id, "kind": kind.value, "value": value, "created_at": now}
        new_id = self.conn.execute(insert(s.spam_rules).values(**values)).inserted_primary_key
        assert new_id is not None
        return SpamRule(new_id[0], workspace_id, kind, value)

    def spam_rules(self, workspace_id: int) -> list[SpamRule]:
        t = s.spam_rules
        q = select(t).where(t.c.workspace_id == workspace_id).order_by(t.c.id)
        return [SpamRule(r.id, r.workspace_id, SpamRuleKind(r.kind), r.value) for r in self.conn.execute(q)]

    def delete_spam_rule(self, workspace_id: int, rule_id: int) -> bool:
        t = s.spam_rules
        done = self.conn.execute(delete(t).where(t.c.workspace_id == workspace_id, t.c.id == rule_id))
        return bool(done.rowcount)

    def add_feedback(
        self, workspace_id: int, message_id: int, user_id: int, field: str, label: str, now: datetime
    ) -> None:
        values = {
            "workspace_id": workspace_id,
            "message_id": message_id,
            "user_id": user_id,
            "field": field,
            "label": label,
            "created_at": now,
        }
        self.conn.execute(insert(s.triage_feedback).values(**values))

    def feedback(self, workspace_id: int | None) -> list[Feedback]:
        f, m = s.triage_feedback, s.messages
        q = (
            select(f.c.message_id, m.c.text, f.c.field, f.c.label, f.c.created_at)
            .select_from(f.join(m, m.c.id == f.c.message_id))
            .where(m.c.visibility == Visibility.PUBLIC.value)  # a DM's text never leaves in a training file
            .order_by(f.c.id)
        )
        if workspace_id is not None:
            q = q.where(f.c.workspace_id == workspace_id)
        return [Feedback(r.message_id, r.text, r.field, r.label, r.created_at) for r in self.conn.execute(q)]
