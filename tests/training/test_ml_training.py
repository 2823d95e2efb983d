"""Training and evaluating the optional [ml] model on a small real sample, without torch.

A deterministic stand-in teacher (seeded random vectors per feature text) replaces MiniLM, so the
whole recipe (vocabulary, PCA, SIF weights, heads, artefact, leak guard) runs in CI; the real
teacher is exercised only when the [ml] extra is installed.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from socialdesk.training import datasets as ds
from socialdesk.training.evaluate import LeakageError
from socialdesk.training.evaluate_ml import ml_tweeteval
from socialdesk.training.metrics import accuracy, macro_recall
from socialdesk.training.train import Sources, TrainConfig, assemble, load_sources
from socialdesk.training.train_ml import F32, MLConfig, feature_text, fit_ml, save_ml
from socialdesk.triage import Triager
from socialdesk.triage.embed_model import (
    ML_METADATA_FILE,
    ML_WEIGHTS_FILE,
    EmbeddingModel,
    load_ml_model,
    ml_model_from_bytes,
)

pytestmark = pytest.mark.skipif(
    not ds.data_available(),
    reason=f"shared data not found at {ds.data_dir()} (set {ds.DATA_DIR_ENV} to run training tests)",
)


def hashed_teacher(texts: Sequence[str]) -> F32:
    rows = []
    for t in texts:
        seed = int.from_bytes(hashlib.sha256(t.encode()).digest()[:8], "little")
        rows.append(np.random.default_rng(seed).standard_normal(384))
    return np.asarray(rows, dtype=np.float32)


SMALL = MLConfig(limit=300, semeval_other_n=100, dim=16, max_vocab=2000)


@functools.cache
def _sources(limit: int | None) -> Sources:
    return load_sources(TrainConfig(limit=limit))


def _train(config: MLConfig, out: Path) -> dict[str, object]:
    base = TrainConfig(
        limit=config.limit,
        semeval_other_n=config.semeval_other_n,
        include_tweeteval_validation=config.include_tweeteval_validation,
    )
    src = _sources(config.limit)
    model = fit_ml(assemble(src, base), config, hashed_teacher)
    return save_ml(model, out, dict(src.files))


def _load(folder: Path) -> EmbeddingModel:
    return ml_model_from_bytes(
        (folder / ML_WEIGHTS_FILE).read_bytes(), (folder / ML_METADATA_FILE).read_text(encoding="utf-8")
    )


def test_feature_texts() -> None:
    assert feature_text("neg_happy") == "not happy"
    assert feature_text("<user>") == "@user"
    assert feature_text("#fail") == "#fail"


def test_training_is_reproducible_and_round_trips(tmp_path: Path) -> None:
    a = _train(SMALL, tmp_path / "a")
    b = _train(SMALL, tmp_path / "b")
    assert a["weights_content_sha256"] == b["weights_content_sha256"]
    assert ds.SPLIT_TWEETEVAL_VAL not in a["trained_on"]  # type: ignore[operator]
    meta = json.loads((tmp_path / "a" / ML_METADATA_FILE).read_text())
    assert all(len(h) == 64 for h in meta["input_files_sha256"].values())
    result = Triager(_load(tmp_path / "a")).triage("@united my flight was cancelled!!")
    assert result.sentiment in {"negative", "neutral", "positive"}


def test_evaluate_refuses_a_split_the_ml_model_trained_on(tmp_path: Path) -> None:
    leaky = MLConfig(
        limit=300, semeval_other_n=100, dim=16, max_vocab=2000, include_tweeteval_validation=True
    )
    _train(leaky, tmp_path)
    with pytest.raises(LeakageError, match="tweeteval_sentiment/validation"):
        ml_tweeteval(_load(tmp_path))


def test_packaged_ml_model_beats_the_majority_class_on_held_out_tweets() -> None:
    model = load_ml_model()
    assert ds.SPLIT_TWEETEVAL_VAL not in model.trained_on
    sample = ds.read_tweeteval_validation().examples[::4]  # 500 held-out tweets
    gold = [e.label for e in sample]
    triager = Triager(model)
    pred = [triager.triage(e.text).sentiment for e in sample]
    majority = max(set(gold), key=gold.count)
    assert accuracy(gold, pred) > accuracy(gold, [majority] * len(gold)) + 0.1
    assert macro_recall(gold, pred) > 0.55


def test_cross_validated_ml_rows_score_every_row_once() -> None:
    from socialdesk.training.evaluate_ml import ml_airline, ml_complaints, ml_twcs

    src = _sources(SMALL.limit)
    base = TrainConfig(limit=SMALL.limit, semeval_other_n=SMALL.semeval_other_n)
    for evaluate in (ml_airline, ml_complaints, ml_twcs):
        scores = evaluate(src, base, SMALL, 2, hashed_teacher)
        assert set(scores) == {"accuracy", "macro-F1"}
        assert 0.3 < scores["accuracy"] <= 1.0  # every row predicted (an unscored row would be wrong)
