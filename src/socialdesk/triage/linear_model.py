"""A bundle of linear heads over one shared feature vocabulary.

All heads' weights sit side by side (features x columns). For speed at inference each feature
maps to ONE Python int that packs all its column weights as fixed-point numbers (1/4096 steps,
each in its own 64-bit slot, offset to be non-negative). Summing a post's ints adds every
column at once, exactly: integer sums do not depend on order, so results are bit-for-bit
deterministic. Scoring a post is dict lookups, one `sum` and one `struct.unpack` of the sum's
bytes; no per-post numpy overhead. A head with two labels uses one column (the logit of its
second label); a head with k > 2 labels uses k columns (softmax).

For a batch of posts the `*_many` methods do the same arithmetic with numpy on the same
quantised integer weights (integer sums are exact; `math.exp` and the same order of float
operations), so their results are bit-for-bit those of `score`, `predict` and `top_terms`.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from itertools import chain, repeat
from operator import add, mul, sub
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True, slots=True)
class Head:
    name: str
    labels: tuple[str, ...]
    start: int  # first column in the weight matrix
    bias: tuple[float, ...]

    @property
    def width(self) -> int:
        return 1 if len(self.labels) == 2 else len(self.labels)


class HeadOutput(NamedTuple):
    label: str
    probabilities: dict[str, float]
    column: int  # the column that argued for `label` (for explanations)
    sign: float  # +1 if a positive weight in `column` supports `label`, -1 if it opposes it


class Scored(NamedTuple):
    """The features of one post found in the vocabulary, their packed weights, and the summed logits."""

    names: list[str]
    packed: list[int]
    logits: list[float]


class BatchScored(NamedTuple):
    """`score` for many posts: each post's distinct known features, in text order, and its logits."""

    ids: npt.NDArray[np.int64]  # vocabulary rows, post after post
    rows: npt.NDArray[np.int64]  # the post each entry of `ids` belongs to (ascending)
    indptr: npt.NDArray[np.int64]  # post i owns entries indptr[i]:indptr[i + 1]
    logits: npt.NDArray[np.float64]  # posts x columns


class BatchOutput(NamedTuple):
    """`predict` for many posts."""

    labels: list[str]
    probabilities: npt.NDArray[np.float64]  # posts x labels, in `Head.labels` order
    columns: npt.NDArray[np.int64]
    signs: npt.NDArray[np.int64]


SCALE = 4096  # fixed-point steps per unit of weight
SLOT_BITS = 64  # a slot holds the sum of up to 2**39 offset weights, far more than a post has features
_OFFSET = 1 << 24  # added to every quantised weight so each slot stays non-negative
_LIMIT = (1 << 23) - 1  # |weight| * SCALE is clipped here (weights beyond +-2047 never occur)
_MASK = (1 << SLOT_BITS) - 1
_TWO_OFFSETS = 2 * _OFFSET
_THRESHOLD = _OFFSET + 0.05 * SCALE  # a feature below this weight does not explain a label
_MIN_EXPLAINING = _THRESHOLD - _OFFSET  # the same threshold on the signed quantised weight
_WEIGHT_BITS = 25  # 0 <= _LIMIT - weight < 2**25: the middle field of `top_terms_many`'s sort key
_POSITION_BITS = 24
_MAX_KEYED_ENTRIES = (1 << _POSITION_BITS) - 1
_MAX_KEYED_POSTS = (1 << (63 - _WEIGHT_BITS - _POSITION_BITS)) - 1  # the key stays within int64
_EXP_CAP = 60.0  # sigmoid arguments beyond this give 0.0 without calling exp


class LinearModel:
    def __init__(
        self,
        vocabulary: Mapping[str, int],
        weights: npt.NDArray[np.float32],
        heads: Sequence[Head],
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self.weights = np.ascontiguousarray(weights, dtype=np.float32)
        self.heads = {h.name: h for h in heads}
        self.metadata: dict[str, Any] = dict(metadata or {})
        self.feature_names: list[str] = [""] * len(vocabulary)
        for name, i in vocabulary.items():
            self.feature_names[i] = name
        quantised = np.rint(self.weights.astype(np.float64) * SCALE)
        # features x columns; int32 holds every clipped weight and halves the memory a batch reads
        self._quantised = np.clip(quantised, -_LIMIT, _LIMIT).astype(np.int32)
        signed: list[list[int]] = self._quantised.tolist()
        self._index: dict[str, int] = dict(vocabulary)
        width = self.weights.shape[1]
        shifts = [SLOT_BITS * c for c in range(width)]
        self._table: dict[str, int] = {
            name: sum((v + _OFFSET) << sh for v, sh in zip(signed[i], shifts, strict=True))
            for name, i in self._index.items()
        }
        self._shifts = tuple(shifts)
        self._width = width
        self._nbytes = 8 * width
        self._unpack = struct.Struct(f"<{width}Q").unpack
        self._zero_logits = [0.0] * width

    @property
    def vocabulary_size(self) -> int:
        return len(self._table)

    @property
    def index(self) -> dict[str, int]:
        """Feature name -> its row in the weights (do not change it)."""
        return self._index

    @property
    def trained_on(self) -> frozenset[str]:
        return frozenset(self.metadata.get("trained_on", ()))

    def score(self, features: Sequence[str]) -> Scored:
        table = self._table
        names = [f for f in dict.fromkeys(features) if f in table]
        if not names:
            return Scored(names, [], list(self._zero_logits))
        packed = list(map(table.__getitem__, names))
        slots = self._unpack(sum(packed).to_bytes(self._nbytes, "little"))
        bias = len(packed) * _OFFSET
        inv = 1.0 / SCALE
        return Scored(names, packed, [(v - bias) * inv for v in slots])

    def predict(self, head_name: str, logits: Sequence[float]) -> HeadOutput:
        head = self.heads[head_name]
        labels = head.labels
        start = head.start
        if len(labels) == 2:
            z = logits[start] + head.bias[0]
            p1 = 1.0 / (1.0 + math.exp(-z)) if z > -60.0 else 0.0
            probs = {labels[0]: 1.0 - p1, labels[1]: p1}
            if p1 >= 0.5:
                return HeadOutput(labels[1], probs, start, 1.0)
            return HeadOutput(labels[0], probs, start, -1.0)
        zs = list(map(add, logits[start : start + len(labels)], head.bias))  # as zip: shortest wins
        top = max(zs)
        exps = list(map(math.exp, map(sub, zs, repeat(top))))
        inv = 1.0 / reduce(add, exps)  # left to right on every Python version (`sum` compensates on 3.12+)
        best = zs.index(top)
        probs = dict(zip(labels, map(mul, exps, repeat(inv)), strict=False))
        return HeadOutput(labels[best], probs, start + best, 1.0)

    def top_terms(self, scored: Scored, out: HeadOutput, k: int = 3) -> list[str]:
        """The k features that pushed hardest toward `out.label`, strongest first (ties: text order)."""
        names = scored.names
        if not names:
            return []
        shift = self._shifts[out.column]
        column = [(v >> shift) & _MASK for v in scored.packed]  # weight + offset; same order as weight
        if out.sign < 0:
            column = [_TWO_OFFSETS - w for w in column]
        picked = sorted(range(len(column)), key=column.__getitem__, reverse=True)[:k]
        return [names[i] for i in picked if column[i] > _THRESHOLD]

    def score_many(self, feature_lists: Sequence[Sequence[str]]) -> BatchScored:
        """`score` for each post at once (same features kept, same order, same logits)."""
        n_posts = len(feature_lists)
        lengths = list(map(len, feature_lists))
        found = np.fromiter(
            map(self._index.get, chain.from_iterable(feature_lists), repeat(-1)),
            dtype=np.int64,
            count=sum(lengths),
        )
        rows = np.repeat(np.arange(n_posts, dtype=np.int64), lengths)
        known = found >= 0
        return self._score_rows(found[known], rows[known], n_posts)

    def score_ids(self, ids: npt.NDArray[np.int64], counts: npt.NDArray[np.int64]) -> BatchScored:
        """`score_many` from each post's known feature ids (repeats kept, text order) and their counts."""
        n_posts = len(counts)
        rows = np.repeat(np.arange(n_posts, dtype=np.int64), counts)
        return self._score_rows(ids, rows, n_posts)

    def _score_rows(
        self, ids: npt.NDArray[np.int64], rows: npt.NDArray[np.int64], n_posts: int
    ) -> BatchScored:
        # Keep each post's first occurrence of a feature, in text order (as `dict.fromkeys`).
        _, first = np.unique(rows * len(self.feature_names) + ids, return_index=True)
        first.sort()
        ids, rows = ids[first], rows[first]
        indptr = np.zeros(n_posts + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n_posts), out=indptr[1:])
        running = np.zeros((len(ids) + 1, self._width), dtype=np.int64)
        np.cumsum(self._quantised[ids], axis=0, dtype=np.int64, out=running[1:])
        sums = running[indptr[1:]] - running[indptr[:-1]]  # exact integer sums, as in `score`
        logits = np.multiply(sums, 1.0 / SCALE, dtype=np.float64)
        return BatchScored(ids, rows, indptr, logits)

    def predict_many(self, head_name: str, logits: npt.NDArray[np.float64]) -> BatchOutput:
        """`predict` for each row of `logits`, with the same float operations in the same order."""
        head = self.heads[head_name]
        labels = head.labels
        start = head.start
        n_posts = logits.shape[0]
        if len(labels) == 2:
            z = logits[:, start] + head.bias[0]
            live = z > -_EXP_CAP
            e = _exp(np.minimum(-z, _EXP_CAP))  # the capped entries are not used
            p1 = np.where(live, 1.0 / (1.0 + e), 0.0)
            probs = np.stack([1.0 - p1, p1], axis=1)
            second = p1 >= 0.5
            return BatchOutput(
                [labels[1] if s else labels[0] for s in second.tolist()],
                probs,
                np.full(n_posts, start, dtype=np.int64),
                np.where(second, 1, -1).astype(np.int64),
            )
        zs = logits[:, start : start + len(labels)] + np.asarray(head.bias, dtype=np.float64)
        exps = _exp(zs - zs.max(axis=1, keepdims=True))
        total = exps[:, 0].copy()
        for j in range(1, exps.shape[1]):
            total += exps[:, j]  # left to right, as `predict` does
        probs = exps * (1.0 / total)[:, None]
        best = np.argmax(zs, axis=1)  # the first of equal maxima, as `list.index`
        return BatchOutput(
            [labels[i] for i in best.tolist()],
            probs,
            (start + best).astype(np.int64),
            np.ones(n_posts, dtype=np.int64),
        )

    def top_terms_many(self, scored: BatchScored, out: BatchOutput, k: int = 3) -> list[list[str]]:
        """`top_terms` for each post: strongest first, ties in text order, above the same threshold."""
        ids, rows = scored.ids, scored.rows
        n_posts = len(scored.indptr) - 1
        weight = self._quantised[ids, out.columns[rows]].astype(np.int64) * out.signs[rows]
        strong = np.flatnonzero(weight > _MIN_EXPLAINING)  # only these can be picked; text order
        if not len(strong):
            return [[] for _ in range(n_posts)]
        strong_rows = rows[strong]
        position = np.arange(len(strong), dtype=np.int64)
        if n_posts <= _MAX_KEYED_POSTS and len(strong) <= _MAX_KEYED_ENTRIES:
            # One sort key, unique per entry: post, then weight (strongest first), then text order.
            key = (strong_rows << _WEIGHT_BITS) + (_LIMIT - weight[strong])
            order = np.argsort((key << _POSITION_BITS) + position)
        else:
            order = np.lexsort((position, -weight[strong], strong_rows))
        ranked_rows = strong_rows[order]
        starts = np.zeros(n_posts + 1, dtype=np.int64)
        np.cumsum(np.bincount(ranked_rows, minlength=n_posts), out=starts[1:])
        keep = np.arange(len(order)) - starts[ranked_rows] < k
        picked = list(map(self.feature_names.__getitem__, ids[strong[order[keep]]].tolist()))
        result: list[list[str]] = []
        at = 0
        for c in np.bincount(ranked_rows[keep], minlength=n_posts).tolist():
            result.append(picked[at : at + c])
            at += c
        return result


def _exp(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """`math.exp` elementwise: numpy's own exp may differ from it in the last bit."""
    flat = values.ravel().tolist()
    return np.fromiter(map(math.exp, flat), dtype=np.float64, count=len(flat)).reshape(values.shape)
