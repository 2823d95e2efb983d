"""The batch methods of `LinearModel` give bit-for-bit the numbers of the one-post methods."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.triage import Triager, linear_model
from socialdesk.triage.features import extract
from socialdesk.triage.linear_model import Head, LinearModel
from tests.triage.golden_cases import cases


def _assert_batch_equals_single(model: LinearModel, feature_lists: list[list[str]]) -> None:
    batch = model.score_many(feature_lists)
    for name in model.heads:
        many = model.predict_many(name, batch.logits)
        terms = model.top_terms_many(batch, many)
        for i, features in enumerate(feature_lists):
            scored = model.score(features)
            assert batch.logits[i].tolist() == scored.logits
            one = model.predict(name, scored.logits)
            assert many.labels[i] == one.label
            assert many.probabilities[i].tolist() == list(one.probabilities.values())
            assert (int(many.columns[i]), float(many.signs[i])) == (one.column, one.sign)
            assert terms[i] == model.top_terms(scored, one)


def test_packaged_model_on_golden_texts() -> None:
    model = Triager().model
    feature_lists = [extract(c["text"], is_reply=bool(c.get("is_reply"))).features for c in cases()]
    _assert_batch_equals_single(model, feature_lists)


def test_very_large_batches_sort_the_other_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linear_model, "_MAX_KEYED_POSTS", 0)  # as if the batch were too big for one key
    model = Triager().model
    _assert_batch_equals_single(model, [extract(c["text"]).features for c in cases()[:200]])


def test_empty_batch_and_posts_without_known_features() -> None:
    model = Triager().model
    _assert_batch_equals_single(model, [[], ["zzz-not-a-feature"], []])
    batch = model.score_many([])
    assert batch.logits.shape == (0, model.weights.shape[1])


_VOCAB = [f"w{i}" for i in range(12)]


def _small_model(seed: int) -> LinearModel:
    """Two-label heads in both directions, a 3-label head, ties in weights, a weight past the clip."""
    rng = np.random.default_rng(seed)
    weights = rng.choice([-2.0, -0.5, -0.04, 0.0, 0.04, 0.3, 0.3, 1.5], size=(len(_VOCAB), 5))
    weights[0, 0] = 5000.0
    heads = [
        Head("a", ("no", "yes"), 0, (0.2,)),
        Head("b", ("x", "y", "z"), 1, (0.1, -0.3, 0.0)),
        Head("c", ("off", "on"), 4, (-1.0,)),
    ]
    return LinearModel({w: i for i, w in enumerate(_VOCAB)}, weights.astype(np.float32), heads)


@settings(max_examples=80, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.lists(st.lists(st.sampled_from([*_VOCAB, "unknown"]), max_size=15), max_size=12),
)
def test_small_models(seed: int, feature_lists: list[list[str]]) -> None:
    _assert_batch_equals_single(_small_model(seed), feature_lists)
