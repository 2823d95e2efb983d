"""A tiny training run (a few hundred rows per source) and evaluate's leak guard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socialdesk.training import datasets as ds
from socialdesk.training.evaluate import LeakageError, check_not_trained_on, load_model, tweeteval_rows
from socialdesk.training.train import TrainConfig, train
from socialdesk.triage import Triager

pytestmark = pytest.mark.skipif(
    not ds.data_available(),
    reason=f"shared data not found at {ds.data_dir()} (set {ds.DATA_DIR_ENV} to run training tests)",
)


@pytest.fixture(scope="module")
def leaky_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("model")
    train(TrainConfig(limit=200, include_tweeteval_validation=True, semeval_other_n=100), out)
    return out


def test_smoke_artefact_records_inputs(leaky_model_dir: Path) -> None:
    meta = json.loads((leaky_model_dir / "metadata.json").read_text())
    assert ds.SPLIT_TWEETEVAL_VAL in meta["trained_on"]
    assert "airline/Tweets-train.csv" in meta["input_files_sha256"]
    assert all(len(h) == 64 for h in meta["input_files_sha256"].values())
    result = Triager(load_model(leaky_model_dir)).triage("@united my flight was cancelled!!")
    assert result.sentiment in {"negative", "neutral", "positive"}


def test_evaluate_refuses_a_split_it_trained_on(leaky_model_dir: Path) -> None:
    model = load_model(leaky_model_dir)
    with pytest.raises(LeakageError, match="tweeteval_sentiment/validation"):
        check_not_trained_on(model, ds.SPLIT_TWEETEVAL_VAL)
    with pytest.raises(LeakageError):
        tweeteval_rows(model, lambda _text: 0.0)


def test_packaged_model_never_saw_tweeteval_validation() -> None:
    check_not_trained_on(load_model(None), ds.SPLIT_TWEETEVAL_VAL)


def test_training_is_reproducible(tmp_path: Path, leaky_model_dir: Path) -> None:
    train(TrainConfig(limit=200, include_tweeteval_validation=True, semeval_other_n=100), tmp_path)
    a = json.loads((tmp_path / "metadata.json").read_text())
    b = json.loads((leaky_model_dir / "metadata.json").read_text())
    assert a["weights_content_sha256"] == b["weights_content_sha256"]


def test_semeval_pool_excludes_tweeteval_validation() -> None:
    te = ds.read_tweeteval_validation().examples
    pool = ds.read_semeval_pool([e.text for e in te]).examples
    keys = {ds.match_key(e.text) for e in pool}
    assert not keys & {ds.match_key(e.text) for e in te}
