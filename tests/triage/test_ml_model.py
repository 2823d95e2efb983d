"""The packaged optional [ml] model: numpy only, deterministic, valid labels, same Triager rules."""

from __future__ import annotations

import numpy as np
import pytest

from socialdesk.triage import CATEGORIES, SENTIMENTS, Triager
from socialdesk.triage.embed_model import CUE_FEATURES, EmbeddingModel, load_ml_model
from socialdesk.triage.features import extract
from socialdesk.triage.linear_model import Head

POSTS = [
    "@united my flight was cancelled and nobody at the desk will help!!!",
    "@AppleSupport how do I reset my iPhone password?",
    "Thank you @SpotifyCares, you are the best 😍",
    "internet is down again in Boston, no service since 6am",
    "",
    "Follow back for a crypto giveaway, promo code inside http://spam.example",
    "c'est vraiment nul, le train est encore en retard",
]


@pytest.fixture(scope="module")
def ml_triager() -> Triager:
    return Triager(load_ml_model())


def test_packaged_ml_model_loads_with_numpy_only() -> None:
    model = load_ml_model()
    assert isinstance(model, EmbeddingModel)
    assert set(model.heads) == {"sentiment", "category", "needs_reply"}
    assert model.vectors.shape[0] == len(model.embedding_vocabulary) > 1000
    assert model.dense_weights.shape[0] == model.dim + len(CUE_FEATURES)
    assert "tweeteval_sentiment/validation" not in model.trained_on


def test_labels_are_valid(ml_triager: Triager) -> None:
    for text in POSTS:
        result = ml_triager.triage(text)
        assert result.sentiment in SENTIMENTS
        assert result.category in CATEGORIES
        assert -1.0 <= result.sentiment_score <= 1.0
        assert 0 <= result.urgency <= 100
        assert len(result.explanation) >= 3


def test_deterministic(ml_triager: Triager) -> None:
    first = [r.to_dict() for r in ml_triager.triage_many(POSTS)]
    again = [r.to_dict() for r in Triager(load_ml_model()).triage_many(POSTS)]
    assert first == again
    assert first == [ml_triager.triage(text).to_dict() for text in POSTS]  # batch path == one by one


def test_obvious_posts(ml_triager: Triager) -> None:
    angry = ml_triager.triage(POSTS[0])
    assert angry.sentiment == "negative"
    assert angry.needs_reply
    assert ml_triager.triage(POSTS[2]).sentiment == "positive"
    assert ml_triager.triage(POSTS[1]).category == "question"
    assert ml_triager.triage(POSTS[3]).category == "outage_report"  # the shared rules still apply


def test_embedding_is_unit_length_plus_cue_flags() -> None:
    model = load_ml_model()
    vec = model.embed(extract("my order is late!!! ?").features)
    assert np.linalg.norm(vec[: model.dim]) == pytest.approx(1.0, abs=1e-5)
    flags = dict(zip(CUE_FEATURES, vec[model.dim :].tolist(), strict=True))
    assert flags["<excl3>"] == flags["<q>"] == 1.0
    assert flags["<emo_pos>"] == 0.0
    assert not model.embed([]).any()


def test_a_tiny_hand_built_model_scores_by_its_vectors() -> None:
    vectors = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    dense = np.zeros((2 + len(CUE_FEATURES), 3), dtype=np.float32)
    dense[0, 2] = 4.0  # dimension 0 argues for the third label
    dense[1, 0] = 4.0
    model = EmbeddingModel(
        embedding_vocabulary=["great", "awful"],
        vectors=vectors,
        token_weights=np.ones(2, dtype=np.float32),
        dense_weights=dense,
        heads=[Head("sentiment", ("negative", "neutral", "positive"), 0, (0.0, 0.0, 0.0))],
    )
    scored = model.score(["great"])
    out = model.predict("sentiment", scored.logits)
    assert out.label == "positive"
    assert model.predict("sentiment", model.score(["awful", "<excl>"]).logits).label == "negative"


def test_classify_command_runs_the_ml_model() -> None:
    import io
    import json

    from socialdesk.cli.triage import run_classify

    source = io.StringIO(json.dumps({"id": "7", "text": POSTS[0]}) + "\n")
    out, err = io.StringIO(), io.StringIO()
    assert run_classify(source, out, err, model="ml") == 0
    line = json.loads(out.getvalue())
    assert line["id"] == "7"
    assert line == {"id": "7", **Triager(load_ml_model()).triage(POSTS[0]).to_dict()}
