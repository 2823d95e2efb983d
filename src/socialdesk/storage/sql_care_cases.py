"""SQL repository for the care workflow's part of a case: tags, SLA clocks, queue, escalations."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Connection, func, insert, select, text, update
from sqlalchemy.sql.selectable import TextualSelect

from socialdesk.domain.case import ACTIVE_STATUSES, Case
from socialdesk.ports_care import CaseCare
from socialdesk.storage import key_sets
from socialdesk.storage import schema as s
from socialdesk.storage.fastread import fetch
from socialdesk.storage.sql_threads import care_from_row, case_from_row

_ACTIVE = [st.value for st in ACTIVE_STATUSES]
_CARE_COLUMNS = (
    "id",
    "tags",
    "facts",
    "sla",
    "sla_state",
    "sla_next_check_at",
    "merged_into_id",
    "problem_id",
    "snoozed_until",
    "snoozed_at",
)


class SqlCaseCare:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get_many(self, workspace_id: int, case_ids: Iterable[int]) -> dict[int, CaseCare]:
        # All ids in one bound parameter (key_sets), reading only the care columns.
        wanted, params = key_sets.values(self.conn, case_ids)
        if not key_sets.params_have_keys(params):
            return {}

        def build() -> TextualSelect:
            q = key_sets.probe(
                self.conn,
                wanted,
                ", ".join(f"cs.{n}" for n in _CARE_COLUMNS),
                "cases AS cs",
                "cs.workspace_id = :ws AND cs.id = k.k1",
            )
            return text(q).columns(*[s.cases.c[n] for n in _CARE_COLUMNS])

        rows = fetch(self.conn, "cases:care", build, {**params, "ws": workspace_id})
        return {r.id: care_from_row(r) for r in rows}

    def save(self, workspace_id: int, care: CaseCare) -> None:
        t = s.cases
        self.conn.execute(
            update(t)
            .where(t.c.workspace_id == workspace_id, t.c.id == care.case_id)
            .values(
                tags=list(care.tags) or None,
                facts=care.facts,
                sla=care.sla,
                sla_state=care.sla_state,
                sla_next_check_at=care.sla_next_check_at,
                merged_into_id=care.merged_into_id,
                problem_id=care.problem_id,
                snoozed_until=care.snoozed_until,
                snoozed_at=care.snoozed_at,
            )
        )

    def due_sla(self, workspace_id: int, now: datetime, limit: int) -> list[int]:
        t = s.cases
        q = (
            select(t.c.id)
            .where(t.c.workspace_id == workspace_id, t.c.sla_next_check_at <= now)
            .order_by(t.c.sla_next_check_at, t.c.id)
            .limit(limit)
        )
        return list(self.conn.execute(q).scalars())

    def waiting(self, workspace_id: int, team_ids: Iterable[int]) -> list[Case]:
        t = s.cases
        q = (
            select(t)
            .where(
                t.c.workspace_id == workspace_id,
                t.c.team_id.in_(list(team_ids)),
                t.c.assignee_id.is_(None),
                t.c.status.in_(_ACTIVE),
            )
            .order_by(t.c.id)
        )
        return [case_from_row(r) for r in self.conn.execute(q)]

    def loads(self, workspace_id: int) -> dict[int, int]:
        t = s.cases
        q = (
            select(t.c.assignee_id, func.count())
            .where(t.c.workspace_id == workspace_id, t.c.assignee_id.is_not(None), t.c.status.in_(_ACTIVE))
            .group_by(t.c.assignee_id)
        )
        return {r[0]: int(r[1]) for r in self.conn.execute(q)}

    def last_assignee_for_contact(self, workspace_id: int, contact_id: int) -> int | None:
        k, c = s.cases, s.conversations
        q = (
            select(k.c.assignee_id)
            .select_from(k.join(c, c.c.id == k.c.conversation_id))
            .where(
                k.c.workspace_id == workspace_id, c.c.contact_id == contact_id, k.c.assignee_id.is_not(None)
            )
            .order_by(k.c.id.desc())
            .limit(1)
        )
        return self.conn.execute(q).scalar_one_or_none()

    def in_problem(self, workspace_id: int, problem_id: int) -> list[int]:
        t = s.cases
        q = select(t.c.id).where(t.c.workspace_id == workspace_id, t.c.problem_id == problem_id)
        return list(self.conn.execute(q.order_by(t.c.id)).scalars())

    def fired_escalations(self, workspace_id: int, case_id: int) -> set[str]:
        t = s.sla_escalations
        q = select(t.c.key).where(t.c.workspace_id == workspace_id, t.c.case_id == case_id)
        return set(self.conn.execute(q).scalars())

    def record_escalation(
        self, workspace_id: int, case_id: int, key: str, rule_id: str, actions: Sequence[str], at: datetime
    ) -> None:
        values = {
            "workspace_id": workspace_id,
            "case_id": case_id,
            "key": key,
            "rule_id": rule_id,
            "actions": list(actions),
            "fired_at": at,
        }
        self.conn.execute(insert(s.sla_escalations).values(**values))
