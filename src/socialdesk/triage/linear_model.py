"""A bundle of linear heads over one shared feature vocabulary.

All heads' weights sit side by side (features x columns). For speed at inference each feature
maps to a plain tuple of its column weights, so scoring a post is dict lookups plus a few sums
in pure Python: no per-post numpy call overhead. A head with two labels uses one column (the
logit of its second label); a head with k > 2 labels uses k columns (softmax).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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
    """The features of one post found in the vocabulary, their weight rows, and the summed logits."""

    names: list[str]
    columns: list[tuple[float, ...]]  # columns[c][j]: weight of names[j] in column c
    logits: list[float]


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
        # Share equal float objects: float16-stored weights repeat a lot, which keeps the table small.
        pool: dict[float, float] = {}
        rows: list[list[float]] = self.weights.tolist()
        self._table: dict[str, tuple[float, ...]] = {
            name: tuple(pool.setdefault(w, w) for w in rows[i]) for name, i in vocabulary.items()
        }
        self._width = self.weights.shape[1]

    @property
    def vocabulary_size(self) -> int:
        return len(self._table)

    @property
    def trained_on(self) -> frozenset[str]:
        return frozenset(self.metadata.get("trained_on", ()))

    def score(self, features: Sequence[str]) -> Scored:
        get = self._table.get
        hits = [(f, w) for f in dict.fromkeys(features) if (w := get(f)) is not None]
        if not hits:
            zeros = (0.0,) * self._width
            return Scored([], [() for _ in zeros], list(zeros))
        names, rows = zip(*hits, strict=True)
        columns: list[tuple[float, ...]] = list(zip(*rows, strict=True))
        return Scored(list(names), columns, [sum(c) for c in columns])

    def predict(self, head_name: str, logits: Sequence[float]) -> HeadOutput:
        head = self.heads[head_name]
        labels = head.labels
        start = head.start
        if len(labels) == 2:
            z = logits[start] + head.bias[0]
            p1 = 1.0 / (1.0 + math.exp(-z)) if z > -60.0 else 0.0
            if p1 >= 0.5:
                return HeadOutput(labels[1], {labels[0]: 1.0 - p1, labels[1]: p1}, start, 1.0)
            return HeadOutput(labels[0], {labels[0]: 1.0 - p1, labels[1]: p1}, start, -1.0)
        zs = [z + b for z, b in zip(logits[start : start + len(labels)], head.bias, strict=True)]
        top = max(zs)
        exps = [math.exp(z - top) for z in zs]
        total = sum(exps)
        best = zs.index(top)
        return HeadOutput(
            labels[best], dict(zip(labels, [e / total for e in exps], strict=True)), start + best, 1.0
        )

    def top_terms(self, scored: Scored, out: HeadOutput, k: int = 3) -> list[str]:
        """The k features that pushed hardest toward `out.label`, strongest first (ties: text order)."""
        if not scored.names:
            return []
        column = scored.columns[out.column]
        if out.sign < 0:
            column = tuple(-w for w in column)
        order = sorted(range(len(column)), key=column.__getitem__, reverse=True)[:k]
        names = scored.names
        return [names[j] for j in order if column[j] > 0.05]
