"""Train the default triage model (three linear heads over one vocabulary) and write the artefact.

Reproducible: fixed seeds, sorted vocabulary, deterministic solvers; the artefact metadata lists
every input file with its sha256 and every split trained on, so `evaluate` can refuse leaks.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from socialdesk.training import datasets as ds
from socialdesk.training import labels as lb
from socialdesk.training.feedback import FeedbackRow, read_feedback
from socialdesk.training.vectorize import build_vocabulary, featurize, to_matrix
from socialdesk.triage.linear_model import Head, LinearModel
from socialdesk.triage.model_loader import METADATA_FILE, WEIGHTS_FILE

FORMAT_VERSION = 1
HEAD_LABELS: dict[str, tuple[str, ...]] = {
    "sentiment": ("negative", "neutral", "positive"),
    "category": tuple(sorted(lb.LEARNED_CATEGORIES)),
    "needs_reply": ("no_reply", "reply"),
}
DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[1] / "triage" / "model"


@dataclass(frozen=True)
class TrainConfig:
    seed: int = 13
    min_df: int = 3
    max_features: int = 40000  # keep the features with the largest weight in any head (speed, size)
    c_sentiment: float = 0.3
    c_category: float = 0.3
    c_needs_reply: float = 0.3
    semeval_other_n: int = 3000
    limit: int | None = None  # max rows per source (smoke tests)
    include_tweeteval_validation: bool = False  # only to prove evaluate's leak guard works
    feedback_weight: float = 3.0


@dataclass
class HeadData:
    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    is_reply: list[bool] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)

    def add(self, text: str, label: str, *, is_reply: bool = False, weight: float = 1.0) -> None:
        self.texts.append(text)
        self.labels.append(label)
        self.is_reply.append(is_reply)
        self.weights.append(weight)


@dataclass
class Sources:
    """The raw data sets, read once (evaluate re-assembles them per fold)."""

    airline: list[ds.Example]
    complaints: list[ds.Example]
    semeval: list[ds.Example]
    tweeteval_val: list[ds.Example]
    twcs: list[ds.Example]
    twcs_labeled: list[ds.Example]
    files: dict[str, str]


def load_sources(config: TrainConfig) -> Sources:
    files: dict[str, str] = {}
    te = ds.read_tweeteval_validation()
    loaded = {
        "airline": ds.read_airline(),
        "complaints": ds.read_complaints(),
        "semeval": ds.read_semeval_pool([e.text for e in te.examples]),
        "twcs": ds.read_twcs_needs_reply(),
        "twcs_labeled": ds.read_twcs_labeled(),
    }
    for item in (te, *loaded.values()):
        files.update(item.files)
    rows = {name: _limit(item.examples, config) for name, item in loaded.items()}
    return Sources(tweeteval_val=_limit(te.examples, config), files=dict(sorted(files.items())), **rows)


def _limit(rows: list[ds.Example], config: TrainConfig) -> list[ds.Example]:
    if config.limit is None or len(rows) <= config.limit:
        return rows
    rng = random.Random(config.seed)  # noqa: S311 -- seeded for reproducible sampling, not security
    return rng.sample(rows, config.limit)


@dataclass
class Corpus:
    heads: dict[str, HeadData]
    splits: list[str]


def assemble(
    src: Sources,
    config: TrainConfig,
    *,
    airline: Sequence[ds.Example] | None = None,
    complaints: Sequence[ds.Example] | None = None,
    twcs: Sequence[ds.Example] | None = None,
    feedback: Sequence[FeedbackRow] = (),
) -> Corpus:
    """Per-head training rows. `airline` / `complaints` / `twcs` replace those sources (cross-validation)."""
    air = list(src.airline if airline is None else airline)
    comp = list(src.complaints if complaints is None else complaints)
    twcs_rows = list(src.twcs if twcs is None else twcs)
    sent, cat, reply = HeadData(), HeadData(), HeadData()
    splits = [
        ds.SPLIT_SEMEVAL_POOL,
        ds.SPLIT_AIRLINE,
        ds.SPLIT_COMPLAINTS,
        ds.SPLIT_TWCS,
        ds.SPLIT_TWCS_LABELED,
    ]
    for e in src.semeval:
        sent.add(e.text, e.label)
    for e in air:
        sent.add(e.text, e.label)
    if config.include_tweeteval_validation:
        for e in src.tweeteval_val:
            sent.add(e.text, e.label)
        splits.append(ds.SPLIT_TWEETEVAL_VAL)
    _add_categories(cat, src, comp, air, config)
    _add_needs_reply(reply, comp, air, twcs_rows)

    for row in feedback:
        _add_feedback(row, sent, cat, reply, config.feedback_weight)
    if not air:
        splits.remove(ds.SPLIT_AIRLINE)
    if not comp:
        splits.remove(ds.SPLIT_COMPLAINTS)
    return Corpus({"sentiment": sent, "category": cat, "needs_reply": reply}, splits)


def _add_categories(
    cat: HeadData, src: Sources, comp: list[ds.Example], air: list[ds.Example], config: TrainConfig
) -> None:
    for e in comp:
        if (c := lb.category_from_complaints(e)) is not None:
            cat.add(e.text, c)
    for e in air:
        if (c := lb.category_from_airline(e)) is not None:
            cat.add(e.text, c)
    for e in src.twcs_labeled:
        if (c := lb.category_from_twcs_labeled(e)) is not None:
            cat.add(e.text, c)
    for e in lb.sample_other_from_semeval(src.semeval, config.semeval_other_n, config.seed):
        cat.add(e.text, "other")


def _add_needs_reply(
    reply: HeadData, comp: list[ds.Example], air: list[ds.Example], twcs_rows: list[ds.Example]
) -> None:
    for e in comp:
        if (r := lb.needs_reply_from_complaints(e)) is not None:
            reply.add(e.text, r)
    for e in air:
        if (r := lb.needs_reply_from_airline(e)) is not None:
            reply.add(e.text, r)
    for e in twcs_rows:
        reply.add(e.text, e.label, is_reply=e.extra.get("is_reply") == "1")


# Rule-based categories have no learned class; a correction to one teaches the nearest learned class.
_FEEDBACK_CATEGORY = {"outage_report": "complaint", "feedback": "other", "spam": "other"}


def _add_feedback(row: FeedbackRow, sent: HeadData, cat: HeadData, reply: HeadData, weight: float) -> None:
    if row.field == "sentiment":
        sent.add(row.text, row.label, weight=weight)
    elif row.field == "category":
        cat.add(row.text, _FEEDBACK_CATEGORY.get(row.label, row.label), weight=weight)
    elif row.field == "needs_reply":
        reply.add(row.text, "reply" if row.label == "true" else "no_reply", weight=weight)


def fit(corpus: Corpus, config: TrainConfig, *, heads: Sequence[str] | None = None) -> LinearModel:
    """Fit the requested heads (default all); heads not fitted get zero weights."""
    from sklearn.linear_model import LogisticRegression

    wanted = list(heads or HEAD_LABELS)
    docs = {
        name: featurize(corpus.heads[name].texts, corpus.heads[name].is_reply)
        for name in HEAD_LABELS
        if name in wanted
    }
    vocab = build_vocabulary((d for rows in docs.values() for d in rows), config.min_df)
    widths = {name: (1 if len(labels) == 2 else len(labels)) for name, labels in HEAD_LABELS.items()}
    weights = np.zeros((len(vocab), sum(widths.values())), dtype=np.float32)
    head_objs = []
    start = 0
    c_of = {
        "sentiment": config.c_sentiment,
        "category": config.c_category,
        "needs_reply": config.c_needs_reply,
    }
    counts: dict[str, dict[str, int]] = {}
    for name, labels in HEAD_LABELS.items():
        bias: tuple[float, ...] = tuple([0.0] * widths[name])
        if name in docs:
            data = corpus.heads[name]
            x = to_matrix(docs[name], vocab)
            clf = LogisticRegression(
                C=c_of[name], max_iter=3000, class_weight="balanced", random_state=config.seed
            )
            clf.fit(x, data.labels, sample_weight=np.asarray(data.weights))
            classes = tuple(str(c) for c in clf.classes_)
            if classes != labels:
                raise ValueError(f"head {name}: training labels {classes} differ from expected {labels}")
            weights[:, start : start + widths[name]] = clf.coef_.T
            bias = tuple(float(b) for b in np.atleast_1d(clf.intercept_))
            counts[name] = dict(sorted(Counter(data.labels).items()))
        head_objs.append(Head(name, labels, start, bias))
        start += widths[name]
    vocab, weights = _prune(vocab, weights, config.max_features)
    meta = {
        "format_version": FORMAT_VERSION,
        "trained_on": sorted(corpus.splits),
        "heads_fitted": wanted,
        "label_counts": counts,
        "feature_count": len(vocab),
        "config": asdict(config),
    }
    return LinearModel(vocab, weights, head_objs, meta)


def _prune(
    vocab: dict[str, int], weights: np.ndarray[Any, np.dtype[np.float32]], keep: int
) -> tuple[dict[str, int], np.ndarray[Any, np.dtype[np.float32]]]:
    if len(vocab) <= keep:
        return vocab, weights
    strength = np.abs(weights).max(axis=1)
    selected = np.sort(np.argsort(-strength, kind="stable")[:keep])
    names = sorted(vocab, key=vocab.__getitem__)
    return {names[i]: j for j, i in enumerate(selected.tolist())}, weights[selected]


def save(model: LinearModel, out_dir: Path, files: dict[str, str]) -> dict[str, Any]:
    """Write weights.npz (float16 weights + UTF-8 vocabulary) and metadata.json; return the metadata."""
    import sklearn

    out_dir.mkdir(parents=True, exist_ok=True)
    weights16 = model.weights.astype(np.float16)
    vocab_blob = "\n".join(model.feature_names).encode("utf-8")
    buf = io.BytesIO()
    np.savez_compressed(buf, weights=weights16, vocabulary=np.frombuffer(vocab_blob, dtype=np.uint8))
    (out_dir / WEIGHTS_FILE).write_bytes(buf.getvalue())
    content = hashlib.sha256(weights16.tobytes() + vocab_blob).hexdigest()
    meta = dict(model.metadata)
    meta.update(
        {
            "heads": [
                {"name": h.name, "labels": list(h.labels), "start": h.start, "bias": list(h.bias)}
                for h in model.heads.values()
            ],
            "input_files_sha256": files,
            "weights_content_sha256": content,
            "library_versions": {"numpy": np.__version__, "scikit-learn": sklearn.__version__},
        }
    )
    (out_dir / METADATA_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return meta


def train(
    config: TrainConfig | None = None, out_dir: Path | None = None, feedback_path: Path | None = None
) -> dict[str, Any]:
    """Read the data, fit every head, write the artefact; returns its metadata."""
    config = config or TrainConfig()
    src = load_sources(config)
    files = dict(src.files)
    feedback: list[FeedbackRow] = []
    if feedback_path is not None:
        feedback = read_feedback(feedback_path)
        files[f"feedback:{feedback_path.name}"] = ds.sha256_of(feedback_path)
    corpus = assemble(src, config, feedback=feedback)
    if feedback:
        corpus.splits.append(f"feedback:{feedback_path.name if feedback_path else ''}")
    model = fit(corpus, config)
    return save(model, out_dir or DEFAULT_MODEL_DIR, files)
