"""The batch scan (`scan.scan`, C or Python) equals `extract` + the model's vocabulary lookup, and
`triage_many` on it equals the feature-name path it replaced, on generated, demo and real posts."""

from __future__ import annotations

import shutil
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.demo.traffic import generate_posts
from socialdesk.training import datasets as ds
from socialdesk.triage import Triager, TriageRequest, TriageSettings, features, scan
from socialdesk.triage.linear_model import BatchScored, LinearModel
from tests.triage.golden_cases import _POOL, EDGE_TEXTS, cases

PLAIN = Triager()
MODEL = PLAIN.model
INDEX = MODEL.index
CUES = scan.cue_ids(INDEX)
SCANS = [scan.scan_python] + ([scan.scan] if scan._scan is not None else [])


class NamesModel(LinearModel):
    """The default model scored through feature names (`extract` + `score_many`): the path the scan
    replaced, which `Triager` takes for any model that overrides `score_many`."""

    def score_many(self, feature_lists: Any) -> BatchScored:
        return super().score_many(feature_lists)


REFERENCE = Triager(NamesModel(INDEX, MODEL.weights, list(MODEL.heads.values()), MODEL.metadata))


def reference_triage_many(t: Triager, items: list[str | TriageRequest]) -> list[Any]:
    """`triage_many` as it was before the scan: feature names from `extract`, scored by name."""
    reference = Triager(REFERENCE.model, t.settings)
    return reference.triage_many(items)


def _unpack(scanned: scan.Scanned) -> tuple[list[list[int]], list[list[str]], list[tuple[bool, ...]]]:
    ids = np.frombuffer(scanned.ids, dtype=np.int64).tolist()
    counts = np.frombuffer(scanned.counts, dtype=np.int64).tolist()
    per_post: list[list[int]] = []
    at = 0
    for c in counts:
        per_post.append(ids[at : at + c])
        at += c
    flags = [((c & scan.INTENSE) != 0, (c & scan.DIGIT) != 0, (c & scan.EMAIL_AT) != 0) for c in scanned.cues]
    return per_post, scanned.words, flags


# Every cue feature known too ("<empty>" is not in the default model's vocabulary).
FULL_INDEX = {**INDEX, **{name: len(INDEX) + i for i, name in enumerate(features._CUES) if name not in INDEX}}


def _check(texts: list[str], replies: list[bool]) -> None:
    for index in (INDEX, FULL_INDEX):
        ids, words, flags = scan.reference_scan(texts, replies, index)
        expected = (ids, words, [tuple(f) for f in flags])
        for run in SCANS:
            got = run(texts, replies, index, scan.cue_ids(index))
            assert _unpack(got) == expected, run.__name__


_words = st.sampled_from([*_POOL, "not", "no", "never", "don't", "the", "is", "down", "www.x.com", "#Fail"])
_chunks = st.one_of(
    _words,
    st.text(alphabet="aAbBoOwW!?.,:;=)(<>3@#_'’-0123456789dp😀😡é", max_size=12),
    st.text(max_size=10),
)
_texts = st.lists(_chunks, max_size=25).map(" ".join) | st.text(max_size=80)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_texts, st.booleans()), max_size=20))
def test_scan_equals_extract(posts: list[tuple[str, bool]]) -> None:
    texts = [text for text, _ in posts]
    replies = [reply for _, reply in posts]
    _check(texts, replies)


def test_scan_with_cold_and_churning_memos(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [*EDGE_TEXTS, *(c["text"] for c in cases())]
    replies = [i % 3 == 0 for i in range(len(texts))]
    features.clear_memo()
    _check(texts, replies)  # every chunk new
    _check(texts, replies)  # every chunk remembered
    monkeypatch.setattr(features, "_GENERATION_LIMIT", 3)  # generations turn over constantly
    features.clear_memo()
    _check(texts, replies)
    features.clear_memo()


def test_scan_rejects_bad_input() -> None:
    if scan._scan is None:
        pytest.skip("the C scan is not built")
    with pytest.raises(TypeError):
        scan._scan.scan([1], [False], features.PLANS, features.plan_missing, INDEX, CUES, 1, 2, 3)
    with pytest.raises(ValueError, match="differ in length"):
        scan._scan.scan(["a"], [], features.PLANS, features.plan_missing, INDEX, CUES, 1, 2, 3)


VIP = TriageSettings(vip_handles=frozenset({"bigcustomer"}), vip_boost=15)


def _requests(texts: list[str]) -> list[str | TriageRequest]:
    hints = [None, "es", "fr", "en"]
    return [
        text
        if i % 2
        else TriageRequest(
            text,
            lang_hint=hints[i % 4],
            is_reply=i % 3 == 0,
            repeat_contacts=i % 4,
            wait_seconds=7200.0 * (i % 2),
            author_handle="bigcustomer" if i % 5 == 0 else None,
        )
        for i, text in enumerate(texts)
    ]


@pytest.mark.parametrize("triage_settings", [TriageSettings(), VIP], ids=["plain", "vip"])
def test_demo_posts_equal_the_reference(triage_settings: TriageSettings) -> None:
    texts = [post["text"] for post in generate_posts(1500, seed=7)]
    items = _requests(texts)
    t = Triager(MODEL, triage_settings)
    assert t.triage_many(items) == reference_triage_many(t, items)


@pytest.mark.skipif(not ds.data_available(), reason="shared data not found (set SOCIALDESK_DATA_DIR)")
def test_bench_posts_equal_the_reference() -> None:
    from socialdesk.bench.triage import load_bench_posts

    items = _requests(load_bench_posts(6000))
    t = Triager(MODEL, VIP)
    assert t.triage_many(items) == reference_triage_many(t, items)


def test_a_swapped_model_is_used() -> None:
    """The scan's ids (cue ids included) follow `Triager.model` when it is replaced."""
    order = np.random.default_rng(3).permutation(len(INDEX))  # the same model, other feature ids
    weights = np.empty_like(MODEL.weights)
    weights[order] = MODEL.weights[list(range(len(INDEX)))]
    names = MODEL.feature_names
    shuffled = LinearModel(
        {names[i]: int(order[i]) for i in range(len(names))}, weights, list(MODEL.heads.values())
    )
    texts = [*EDGE_TEXTS, *(c["text"] for c in cases())]
    t = Triager(MODEL)
    t.triage_many(texts)
    t.model = shuffled
    assert t.triage_many(texts) == PLAIN.triage_many(texts)


def test_the_c_scan_is_built_where_a_compiler_is() -> None:
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        pytest.skip("no C compiler here, so the optional C scan was not built")
    assert scan._scan is not None, "a C compiler is here, so `pip install -e .` must build the C scan"
