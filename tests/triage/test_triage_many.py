"""`Triager.triage_many` (the batch path) returns exactly what mapping `Triager.triage` returns."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.triage import Triager, TriageRequest, TriageSettings, features, triager
from tests.triage.golden_cases import _POOL, EDGE_TEXTS, cases

PLAIN = Triager()
VIP = Triager(PLAIN.model, TriageSettings(vip_handles=frozenset({"bigcustomer"}), vip_boost=15))


def _request(case: dict[str, Any]) -> TriageRequest:
    return TriageRequest(**{k: v for k, v in case.items() if k != "vip"})


def _one_by_one(t: Triager, items: list[str | TriageRequest]) -> list[Any]:
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(t.triage(item))
        else:
            kwargs = {k: getattr(item, k) for k in TriageRequest.__dataclass_fields__ if k != "text"}
            out.append(t.triage(item.text, **kwargs))
    return out


@pytest.mark.parametrize("t", [PLAIN, VIP], ids=["plain", "vip"])
def test_golden_cases_in_batches(t: Triager) -> None:
    items: list[str | TriageRequest] = [_request(c) for c in cases()]
    assert len(items) > 2 * triager.BATCH_SIZE  # several batches, the last one partial
    assert t.triage_many(items) == _one_by_one(t, items)


def test_bare_strings_and_requests_mix() -> None:
    items: list[str | TriageRequest] = [
        *EDGE_TEXTS,
        *(TriageRequest(text, is_reply=True, lang_hint="es") for text in EDGE_TEXTS),
    ]
    assert PLAIN.triage_many(iter(items)) == _one_by_one(PLAIN, items)


def test_empty_batch() -> None:
    assert PLAIN.triage_many([]) == []


def test_cold_memos_give_the_same_results(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [c["text"] for c in cases()]
    warm = PLAIN.triage_many(texts)
    monkeypatch.setattr(features, "_GENERATION_LIMIT", 3)  # memo generations turn over constantly
    features.clear_memo()
    assert PLAIN.triage_many(texts) == warm
    assert [PLAIN.triage(t) for t in texts] == warm
    features.clear_memo()


_words = st.sampled_from([*_POOL, "not", "no", "never", "the", "is", "down", "you", "should"])
_texts = st.one_of(
    st.lists(_words, max_size=30).map(" ".join),
    st.lists(_words, max_size=30).map("".join),
    st.text(max_size=120),
)
_requests = st.builds(
    TriageRequest,
    text=_texts,
    lang_hint=st.sampled_from([None, "es", "fr", "EN-us", "zz"]),
    is_reply=st.booleans(),
    repeat_contacts=st.integers(0, 5),
    wait_seconds=st.sampled_from([0.0, 60.0, 7200.0, 90000.0]),
    author_handle=st.sampled_from([None, "alice", "@BigCustomer"]),
    followers=st.sampled_from([None, 0, 10**7]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_texts, _requests), max_size=40))
def test_triage_many_equals_triage(items: list[str | TriageRequest]) -> None:
    for t in (PLAIN, VIP):
        assert t.triage_many(items) == _one_by_one(t, items)


def test_batch_boundary_sizes() -> None:
    texts = [c["text"] for c in cases()][: triager.BATCH_SIZE + 1]
    expected = [PLAIN.triage(t) for t in texts]
    for n in (1, triager.BATCH_SIZE - 1, triager.BATCH_SIZE, triager.BATCH_SIZE + 1):
        assert PLAIN.triage_many(texts[:n]) == expected[:n]
