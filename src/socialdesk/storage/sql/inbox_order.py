"""The inbox's orders in SQL (see `domain.conversation.sort_key`) and their keyset cursors.

`urgency` and `waiting` are served by the indexes `ix_conversations_urgency_order` and
`ix_conversations_waiting_order` (storage/schema/): their expressions are these very ones, the waiting
key's far-future constant spelled out in the SQL text (`types.NotWaiting`), so the database reads a page
in index order and stops after it. `deadline` orders by the current case's SLA, another table: it sorts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, literal, or_
from sqlalchemy import case as sql_case

from socialdesk.domain.conversation import NO_SLA_RANK, sla_rank
from socialdesk.storage import schema as s
from socialdesk.storage.types import NotWaiting, UTCDateTime, waiting_key

_WAITED = waiting_key(s.conversations.c.waiting_since)
_SLA_RANK = sql_case(
    *[(s.cases.c.sla_state == state, sla_rank(state)) for state in ("breached", "warning", "ok", "paused")],
    else_=NO_SLA_RANK,
)
_NEXT_CHECK = func.coalesce(s.cases.c.sla_next_check_at, NotWaiting())


def order(sort: str) -> list[tuple[Any, bool]]:
    """The columns of an inbox order, each with "descending"."""
    cid = s.conversations.c.id
    if sort == "waiting":
        return [(_WAITED, False), (cid, False)]
    if sort == "deadline":
        return [(_SLA_RANK, False), (_NEXT_CHECK, False), (_WAITED, False), (cid, False)]
    return [(s.conversations.c.urgency, True), (_WAITED, False), (cid, False)]


def order_by(sort: str) -> list[Any]:
    return [e.desc() if desc else e for e, desc in order(sort)]


def after(sort: str, key: tuple[Any, ...]) -> Any:
    """Rows after ``key`` in the order (a keyset cursor). The urgency order's key holds -urgency."""
    columns = order(sort)
    values = list(key)
    if columns[0][1]:  # descending urgency: the key holds its negation
        values[0] = -values[0]
    bound = [literal(v, UTCDateTime) if isinstance(v, datetime) else literal(v) for v in values]
    clauses = []
    for i, (expr, desc) in enumerate(columns):
        beyond = expr < bound[i] if desc else expr > bound[i]
        clauses.append(and_(*[columns[j][0] == bound[j] for j in range(i)], beyond))
    return or_(*clauses)
