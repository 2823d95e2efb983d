"""The `[ml]` columns of `socialdesk evaluate`: the same splits and folds as the default model.

* `optional[ml]`: the static-embedding model (`triage.embed_model`) run through `Triager`, so the
  category rules and the needs-reply policy apply exactly as for the default. The held-out split is
  scored with the loaded artefact (refused if it was trained on it); cross-validated rows rebuild
  the whole model per fold (vocabulary, PCA, SIF weights and heads from the training folds only;
  only the pretrained teacher is shared).
* `MiniLM (full)`: a reference: logistic-regression heads over the full sentence embedding of each
  post (+ cue flags), heads only (no category rules). Needs torch; texts are encoded once and
  cached outside the repository.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from socialdesk.training import datasets as ds
from socialdesk.training.metrics import accuracy, macro_f1, macro_recall, stratified_folds
from socialdesk.training.train import HEAD_LABELS, Corpus, HeadData, Sources, TrainConfig, assemble
from socialdesk.training.train_ml import F32, MLConfig, Teacher, fit_ml
from socialdesk.triage.embed_model import CUE_FEATURES, EmbeddingModel
from socialdesk.triage.features import extract
from socialdesk.triage.linear_model import LinearModel
from socialdesk.triage.triager import Triager

Scores = dict[str, float]


def _scores(gold: Sequence[str], pred: Sequence[str], *, recall: bool = False) -> Scores:
    out = {"accuracy": accuracy(gold, pred), "macro-F1": macro_f1(gold, pred)}
    if recall:
        out["macro-recall"] = macro_recall(gold, pred)
    return out


def check_ml_not_trained_on(model: LinearModel, split: str) -> None:
    from socialdesk.training.evaluate import check_not_trained_on

    check_not_trained_on(model, split)


def ml_tweeteval(model: EmbeddingModel) -> Scores:
    check_ml_not_trained_on(model, ds.SPLIT_TWEETEVAL_VAL)
    data = ds.read_tweeteval_validation().examples
    triager = Triager(model)
    return _scores([e.label for e in data], [triager.triage(e.text).sentiment for e in data], recall=True)


def _sentiment_corpus(rows: Sequence[ds.Example]) -> Corpus:
    head = HeadData()
    for e in rows:
        head.add(e.text, e.label)
    return Corpus({"sentiment": head, "category": HeadData(), "needs_reply": HeadData()}, [])


def _cross_validated(
    data: Sequence[ds.Example],
    strata: Sequence[str],
    k: int,
    seed: int,
    fit: Callable[[list[ds.Example]], LinearModel],
    predict: Callable[[Triager, ds.Example], str],
) -> Scores:
    """k-fold scores: a model fitted on the other folds predicts each fold (stratified by `strata`)."""
    folds = stratified_folds(list(strata), k, seed)
    pred = [""] * len(data)
    for f in range(k):
        triager = Triager(fit([e for e, g in zip(data, folds, strict=True) if g != f]))
        for i, e in enumerate(data):
            if folds[i] == f:
                pred[i] = predict(triager, e)
    return _scores([e.label for e in data], pred)


def ml_airline(src: Sources, config: TrainConfig, ml: MLConfig, k: int, teacher: Teacher) -> Scores:
    return _cross_validated(
        src.airline,
        [e.label for e in src.airline],
        k,
        config.seed,
        lambda train: fit_ml(_sentiment_corpus(train), ml, teacher, heads=["sentiment"]),
        lambda triager, e: triager.triage(e.text).sentiment,
    )


def ml_complaints(src: Sources, config: TrainConfig, ml: MLConfig, k: int, teacher: Teacher) -> Scores:
    def predict(triager: Triager, e: ds.Example) -> str:
        category = triager.triage(e.text).category
        return "complaint" if category in {"complaint", "outage_report"} else "not_complaint"

    return _cross_validated(
        src.complaints,
        [f"{e.label}/{e.group}" for e in src.complaints],
        k,
        config.seed,
        lambda train: fit_ml(assemble(src, config, complaints=train), ml, teacher, heads=["category"]),
        predict,
    )


def ml_twcs(src: Sources, config: TrainConfig, ml: MLConfig, k: int, teacher: Teacher) -> Scores:
    def predict(triager: Triager, e: ds.Example) -> str:
        result = triager.triage(e.text, is_reply=e.extra.get("is_reply") == "1")
        return "reply" if result.needs_reply else "no_reply"

    return _cross_validated(
        src.twcs,
        [e.label for e in src.twcs],
        k,
        config.seed,
        lambda train: fit_ml(
            assemble(src, config, twcs=train), ml, teacher, heads=["category", "needs_reply"]
        ),
        predict,
    )


# --- MiniLM (full sentence embedding) reference -------------------------------------------------


class SentenceVectors:
    """Full MiniLM sentence embeddings + cue flags for any text of the loaded sources."""

    def __init__(self, src: Sources) -> None:
        from socialdesk.training.embed_minilm import ItemCache, encode_cached

        self._index: dict[str, F32] = {}
        for rows in (src.tweeteval_val, src.airline, src.complaints, src.twcs_labeled, src.twcs):
            texts = [e.text for e in rows]
            for t, v in zip(texts, encode_cached(texts), strict=True):
                self._index[t] = v
        self._others = ItemCache("sentences")  # SemEval tweets: only the sampled ones are encoded

    def __call__(self, texts: Sequence[str], is_reply: Sequence[bool] | None = None) -> F32:
        missing = sorted({t for t in texts if t not in self._index})
        if missing:
            self._index.update(zip(missing, self._others(missing), strict=True))
        cues = np.zeros((len(texts), len(CUE_FEATURES)), dtype=np.float32)
        where = {c: i for i, c in enumerate(CUE_FEATURES)}
        for r, t in enumerate(texts):
            for f in extract(t, is_reply=bool(is_reply and is_reply[r])).features:
                if (c := where.get(f)) is not None:
                    cues[r, c] = 1.0
        return np.hstack([np.stack([self._index[t] for t in texts]), cues]).astype(np.float32)


def _fit_predict(
    vectors: SentenceVectors, head: HeadData, test: Sequence[str], c: float, seed: int
) -> list[str]:
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced", random_state=seed)
    clf.fit(vectors(head.texts, head.is_reply), head.labels, sample_weight=np.asarray(head.weights))
    return [str(p) for p in clf.predict(vectors(test))]


MINILM_SEMEVAL_N = 10000  # SemEval pool tweets the reference's sentiment head sees (encoding is slow)


def minilm_tweeteval(src: Sources, config: TrainConfig, vectors: SentenceVectors, c: float) -> Scores:
    """Trained on airline + a seeded sample of the SemEval pool (never on TweetEval validation)."""
    rng = random.Random(config.seed)  # noqa: S311 -- seeded for reproducible sampling, not security
    pool = rng.sample(src.semeval, min(MINILM_SEMEVAL_N, len(src.semeval)))
    head = _sentiment_corpus([*pool, *src.airline]).heads["sentiment"]
    gold = [e.label for e in src.tweeteval_val]
    pred = _fit_predict(vectors, head, [e.text for e in src.tweeteval_val], c, config.seed)
    return _scores(gold, pred, recall=True)


def minilm_airline(src: Sources, config: TrainConfig, vectors: SentenceVectors, k: int, c: float) -> Scores:
    data = src.airline
    gold = [e.label for e in data]
    folds = stratified_folds(gold, k, config.seed)
    pred = [""] * len(data)
    for f in range(k):
        head = _sentiment_corpus([e for e, g in zip(data, folds, strict=True) if g != f]).heads["sentiment"]
        idx = [i for i in range(len(data)) if folds[i] == f]
        for i, p in zip(
            idx, _fit_predict(vectors, head, [data[i].text for i in idx], c, config.seed), strict=True
        ):
            pred[i] = p
    return _scores(gold, pred)


def minilm_complaints(
    src: Sources, config: TrainConfig, vectors: SentenceVectors, k: int, c: float
) -> Scores:
    data = src.complaints
    gold = [e.label for e in data]
    folds = stratified_folds([f"{e.label}/{e.group}" for e in data], k, config.seed)
    pred = [""] * len(data)
    for f in range(k):
        train = [e for e, g in zip(data, folds, strict=True) if g != f]
        head = assemble(src, config, complaints=train).heads["category"]
        idx = [i for i in range(len(data)) if folds[i] == f]
        labels = _fit_predict(vectors, head, [data[i].text for i in idx], c, config.seed)
        for i, p in zip(idx, labels, strict=True):
            pred[i] = "complaint" if p == "complaint" else "not_complaint"
    return _scores(gold, pred)


def ml_columns(
    src: Sources,
    config: TrainConfig,
    *,
    model: EmbeddingModel,
    k: int,
    k_twcs: int,
    teacher: Teacher | None,
    minilm: bool,
    say: Callable[[str], None],
) -> dict[str, dict[str, Any]]:
    """{dataset: {"ml": Scores, "minilm": Scores}} for every dataset the table reports."""
    ml = MLConfig(**{key: v for key, v in model.metadata.get("config", {}).items() if key in _ML_FIELDS})
    out: dict[str, dict[str, Any]] = {}
    say("[ml] TweetEval validation (loaded artefact)")
    out["TweetEval sentiment"] = {"ml": ml_tweeteval(model)}
    if teacher is not None:
        say(f"[ml] airline {k}-fold CV")
        out["Airline sentiment"] = {"ml": ml_airline(src, config, ml, k, teacher)}
        say(f"[ml] complaints {k}-fold CV")
        out["Complaints (complaint vs not)"] = {"ml": ml_complaints(src, config, ml, k, teacher)}
        say(f"[ml] TWCS needs_reply {k_twcs}-fold CV")
        out["TWCS needs_reply (brand answered)"] = {"ml": ml_twcs(src, config, ml, k_twcs, teacher)}
    if minilm:
        say("MiniLM (full): encoding (cached) and fitting heads")
        vectors = SentenceVectors(src)
        c = 1.0
        out["TweetEval sentiment"]["minilm"] = minilm_tweeteval(src, config, vectors, c)
        out.setdefault("Airline sentiment", {})["minilm"] = minilm_airline(src, config, vectors, k, c)
        out.setdefault("Complaints (complaint vs not)", {})["minilm"] = minilm_complaints(
            src, config, vectors, k, c
        )
    return out


_ML_FIELDS = frozenset(MLConfig.__dataclass_fields__)
assert set(HEAD_LABELS) == {"sentiment", "category", "needs_reply"}  # the layouts the [ml] heads mirror
