"""A bundle of linear heads over one shared feature vocabulary.

All heads' weights sit side by side (features x columns). For speed at inference each feature
maps to ONE Python int that packs all its column weights as fixed-point numbers (1/4096 steps,
each in its own 64-bit slot, offset to be non-negative). Summing a post's ints adds every
column at once, exactly: integer sums do not depend on order, so results are bit-for-bit
deterministic. Scoring a post is dict lookups, one `sum` and one `struct.unpack` of the sum's
bytes; no per-post numpy overhead. A head with two labels uses one column (the logit of its
second label); a head with k > 2 labels uses k columns (softmax).
"""

from __future__ import annotations

import math
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
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


SCALE = 4096  # fixed-point steps per unit of weight
SLOT_BITS = 64  # a slot holds the sum of up to 2**39 offset weights, far more than a post has features
_OFFSET = 1 << 24  # added to every quantised weight so each slot stays non-negative
_LIMIT = (1 << 23) - 1  # |weight| * SCALE is clipped here (weights beyond +-2047 never occur)
_MASK = (1 << SLOT_BITS) - 1
_TWO_OFFSETS = 2 * _OFFSET
_THRESHOLD = _OFFSET + 0.05 * SCALE  # a feature below this weight does not explain a label


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
        signed: list[list[int]] = np.clip(quantised, -_LIMIT, _LIMIT).astype(np.int64).tolist()
        width = self.weights.shape[1]
        shifts = [SLOT_BITS * c for c in range(width)]
        self._table: dict[str, int] = {
            name: sum((v + _OFFSET) << sh for v, sh in zip(signed[i], shifts, strict=True))
            for name, i in vocabulary.items()
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
        inv = 1.0 / sum(exps)
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
