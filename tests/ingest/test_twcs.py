"""Real data: the first 5,000 rows of Customer Support on Twitter, ingested twice, on SQLite and PostgreSQL.

First-response times are recomputed here straight from the CSV (union-find over reply links) and
must agree with what ingest recorded.
"""

from __future__ import annotations

import csv
from datetime import datetime

import pytest

from socialdesk.actions.accounts.users import ensure_workspace
from socialdesk.actions.inbox.ingest_stream import ingest_records
from socialdesk.ingest.readers import ReadContext, read_twcs
from socialdesk.runtime import Runtime
from tests.conftest import shared_data


def _expected_first_responses(path: str) -> dict[str, float | None]:
    """Per conversation (keyed by its first customer tweet): seconds to the first brand reply."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    by_id = {r["tweet_id"]: r for r in rows}
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for r in rows:
        p = (r["in_response_to_tweet_id"] or "").split(".")[0]
        if p in by_id:
            parent[find(r["tweet_id"])] = find(p)
    when = {r["tweet_id"]: datetime.strptime(r["created_at"], "%a %b %d %H:%M:%S %z %Y") for r in rows}
    groups: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        groups.setdefault(find(r["tweet_id"]), []).append(r)
    out: dict[str, float | None] = {}
    for members in groups.values():
        inbound = sorted((when[m["tweet_id"]], m["tweet_id"]) for m in members if m["inbound"] == "True")
        if not inbound:
            continue
        opened, first_id = inbound[0]
        replies = sorted(
            when[m["tweet_id"]] for m in members if m["inbound"] == "False" and when[m["tweet_id"]] >= opened
        )
        out[first_id] = (replies[0] - opened).total_seconds() if replies else None
    return out


@pytest.mark.slow
def test_twcs_twice_same_conversations_and_first_responses(runtime: Runtime) -> None:
    path = shared_data("twcs/twcs_first5000.csv")
    with runtime.uow() as uow:
        ws = ensure_workspace(uow, "twcs").id
        uow.commit()
    counts = []
    for _ in range(2):
        context = ReadContext()
        with open(path, encoding="utf-8", newline="") as f:
            report = ingest_records(
                runtime.uow,
                ws,
                read_twcs(f, context),
                runtime.clock,
                brand_handles=lambda c=context: c.brand_handles,
            )
        assert report.errors == []
        with runtime.uow() as uow:
            counts.append((uow.conversations.count(ws), uow.messages.count(ws)))
    assert counts[0] == counts[1]
    assert counts[0][1] == 5000

    expected = _expected_first_responses(str(path))
    assert len(expected) > 500
    with runtime.uow() as uow:
        refs = uow.messages.find_by_keys(ws, [("x", tweet) for tweet in expected])
        cases = uow.cases.current_for(ws, {ref.conversation_id for ref in refs.values()})
    mismatches = []
    for tweet, seconds in expected.items():
        case = cases[refs[("x", tweet)].conversation_id]
        if case.first_response_seconds != seconds:
            mismatches.append((tweet, seconds, case.first_response_seconds))
    assert mismatches == []
    answered = [s for s in expected.values() if s is not None]
    assert len(answered) > 0.5 * len(expected)
