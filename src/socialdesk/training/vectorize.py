"""Sparse design matrices from the same `extract` the triage core runs at inference."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse

from socialdesk.triage.features import extract


def featurize(texts: Iterable[str], is_reply: Sequence[bool] | None = None) -> list[list[str]]:
    flags = list(is_reply) if is_reply is not None else None
    return [extract(t, is_reply=bool(flags and flags[i])).features for i, t in enumerate(texts)]


def build_vocabulary(docs: Iterable[list[str]], min_df: int = 2) -> dict[str, int]:
    df: Counter[str] = Counter()
    for feats in docs:
        df.update(set(feats))
    kept = sorted(f for f, n in df.items() if n >= min_df)
    return {f: i for i, f in enumerate(kept)}


def to_matrix(docs: Sequence[list[str]], vocab: dict[str, int]) -> sparse.csr_matrix:
    """Binary-ish counts, each row L2-normalised is NOT applied: the inference path sums raw weights."""
    indptr = [0]
    indices: list[int] = []
    for feats in docs:
        cols = {vocab[f] for f in feats if f in vocab}
        indices.extend(sorted(cols))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(docs), len(vocab)))
