"""The optional `[ml]` triage model: a static embedding distilled from all-MiniLM-L6-v2, with linear heads.

Inference needs numpy only (no torch): every feature string that `extract` produces for a post
(words, negation-marked words, hashtags, emoji) has a stored vector, the MiniLM sentence
embedding of that feature's text reduced by PCA. A post is the SIF-weighted mean of its
features' vectors, L2-normalised, followed by the social-media cue flags (`<excl>`, `<q>`, ...).
The heads (sentiment, category, needs_reply; the same labels and column layout as the default
model) are logistic regressions over that vector plus, in the hybrid layout, the default
model's sparse word features. The model subclasses `LinearModel`, so `Triager` runs it
unchanged: language, private data, urgency and the category rules are shared with the default.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from socialdesk.triage.linear_model import BatchScored, Head, LinearModel, Scored

ML_MODEL_PACKAGE = "model_ml"
ML_WEIGHTS_FILE = "embedding.npz"
ML_METADATA_FILE = "metadata.json"
ML_FORMAT_VERSION = 1

CUE_FEATURES: tuple[str, ...] = (
    "<caps>",
    "<elong>",
    "<emo_neg>",
    "<emo_pos>",
    "<empty>",
    "<excl3>",
    "<excl>",
    "<is_reply>",
    "<q>",
)
_CUE_INDEX = {c: i for i, c in enumerate(CUE_FEATURES)}

F32 = npt.NDArray[np.float32]


def embedded_features(features: Sequence[str], table: Mapping[str, int]) -> list[str]:
    """The distinct features of a post that have a stored vector, in text order."""
    return [f for f in dict.fromkeys(features) if f in table]


class EmbeddingModel(LinearModel):
    """Static-embedding heads, optionally on top of sparse word weights (hybrid).

    `vectors` (V x d, rows of the static table), `token_weights` (V, SIF weights), `dense_weights`
    ((d + len(CUE_FEATURES)) x columns). The sparse part (`vocabulary`, `weights`) may be empty.
    """

    def __init__(
        self,
        *,
        embedding_vocabulary: Sequence[str],
        vectors: F32,
        token_weights: F32,
        dense_weights: F32,
        heads: Sequence[Head],
        vocabulary: Mapping[str, int] | None = None,
        weights: F32 | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        width = dense_weights.shape[1]
        sparse_vocab = vocabulary or {}
        sparse = weights if weights is not None else np.zeros((0, width), dtype=np.float32)
        super().__init__(sparse_vocab, sparse, heads, metadata)
        if vectors.shape[0] != len(embedding_vocabulary) or token_weights.shape[0] != vectors.shape[0]:
            raise ValueError("embedding table, its vocabulary and its token weights differ in length")
        if dense_weights.shape[0] != vectors.shape[1] + len(CUE_FEATURES):
            raise ValueError("dense head weights do not match the embedding width")
        self.embedding_vocabulary = list(embedding_vocabulary)
        self._rows = {f: i for i, f in enumerate(self.embedding_vocabulary)}
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.token_weights = np.ascontiguousarray(token_weights, dtype=np.float32)
        self.dense_weights = np.ascontiguousarray(dense_weights, dtype=np.float32)
        self._has_sparse = bool(sparse_vocab)

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def embed(self, features: Sequence[str]) -> F32:
        """The post vector the dense heads read: normalised weighted mean, then cue flags."""
        out = np.zeros(self.dim + len(CUE_FEATURES), dtype=np.float32)
        rows = [self._rows[f] for f in embedded_features(features, self._rows)]
        if rows:
            w = self.token_weights[rows]
            mean = w @ self.vectors[rows]
            norm = float(np.sqrt(mean @ mean))
            if norm > 0.0:
                out[: self.dim] = mean / norm
        for f in features:
            i = _CUE_INDEX.get(f)
            if i is not None:
                out[self.dim + i] = 1.0
        return out

    def dense_logits(self, features: Sequence[str]) -> npt.NDArray[np.float64]:
        """What the dense heads add to each column for one post (float64, no bias)."""
        return (self.embed(features) @ self.dense_weights).astype(np.float64)

    def score(self, features: Sequence[str]) -> Scored:
        dense = self.dense_logits(features).tolist()
        if not self._has_sparse:
            return Scored([], [], dense)  # no sparse words: nothing for `top_terms` to name
        sparse = super().score(features)
        return Scored(sparse.names, sparse.packed, [a + b for a, b in zip(sparse.logits, dense, strict=True)])

    def score_many(self, feature_lists: Sequence[Sequence[str]]) -> BatchScored:
        """`score` for many posts: the sparse part batched by the base class, the dense part per post."""
        sparse = super().score_many(feature_lists)
        if not feature_lists:
            return sparse
        dense = np.stack([self.dense_logits(f) for f in feature_lists])
        return sparse._replace(logits=sparse.logits + dense)


def ml_model_from_bytes(npz_bytes: bytes, metadata_json: str) -> EmbeddingModel:
    meta: dict[str, Any] = json.loads(metadata_json)
    if meta.get("format_version") != ML_FORMAT_VERSION:
        raise ValueError(f"unsupported [ml] artefact format {meta.get('format_version')!r}")
    with np.load(io.BytesIO(npz_bytes), allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    names = _split(arrays["embedding_vocabulary"])
    scale = float(meta.get("vector_scale", 1.0))
    vectors = arrays["vectors"].astype(np.float32) * np.float32(scale)
    heads = [
        Head(h["name"], tuple(h["labels"]), int(h["start"]), tuple(float(b) for b in h["bias"]))
        for h in meta["heads"]
    ]
    sparse_names = _split(arrays["sparse_vocabulary"]) if "sparse_vocabulary" in arrays else []
    return EmbeddingModel(
        embedding_vocabulary=names,
        vectors=vectors,
        token_weights=arrays["token_weights"].astype(np.float32),
        dense_weights=arrays["dense_weights"].astype(np.float32),
        heads=heads,
        vocabulary={n: i for i, n in enumerate(sparse_names)} or None,
        weights=arrays["sparse_weights"].astype(np.float32) if sparse_names else None,
        metadata=meta,
    )


def _split(blob: npt.NDArray[np.uint8]) -> list[str]:
    text = blob.tobytes().decode("utf-8")
    return text.split("\n") if text else []


def join_names(names: Sequence[str]) -> npt.NDArray[np.uint8]:
    return np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8)


@lru_cache(maxsize=1)
def load_ml_model() -> EmbeddingModel:
    """The packaged `[ml]` artefact (numpy only), loaded once per process."""
    folder = resources.files("socialdesk.triage").joinpath(ML_MODEL_PACKAGE)
    return ml_model_from_bytes(
        folder.joinpath(ML_WEIGHTS_FILE).read_bytes(),
        folder.joinpath(ML_METADATA_FILE).read_text(encoding="utf-8"),
    )
