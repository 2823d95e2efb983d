"""The baseline every knowledge-base figure is compared with: TF-IDF cosine over whole articles.

Lower-cased words, no stemming, no accent folding, one vector per article (title, tags, body and
example questions together), sublinear term frequency, smoothed idf, L2-normalised; the query's
vector the same. Sparse (per-word postings), so 10,000 articles fit in a few megabytes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from socialdesk.knowledge.index import Document, Hit, Mask, rank

_WORD = re.compile(r"\w+")


def _counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for w in _WORD.findall(text.lower()):
        counts[w] = counts.get(w, 0) + 1
    return counts


class TfidfBaseline:
    def __init__(self, docs: Sequence[Document]) -> None:
        self.keys = [d.key for d in docs]
        self.n = len(docs)
        per_doc = [_counts(" ".join([d.title, *d.tags, d.body, *d.questions])) for d in docs]
        postings: dict[str, list[tuple[int, float]]] = {}
        for i, counts in enumerate(per_doc):
            for w, c in counts.items():
                postings.setdefault(w, []).append((i, 1.0 + math.log(c)))
        self.idf = {w: math.log((1.0 + self.n) / (1.0 + len(p))) + 1.0 for w, p in postings.items()}
        norms = np.zeros(self.n, dtype=np.float64)
        for w, plist in postings.items():
            for i, tf in plist:
                norms[i] += (tf * self.idf[w]) ** 2
        np.sqrt(norms, out=norms)
        norms[norms == 0.0] = 1.0
        self.postings: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]] = {}
        for w, plist in postings.items():
            ids = np.array([p[0] for p in plist], dtype=np.int64)
            tfs = np.array([p[1] for p in plist], dtype=np.float64)
            self.postings[w] = (ids, tfs * self.idf[w] / norms[ids])

    def score(self, text: str) -> npt.NDArray[np.float64]:
        out = np.zeros(self.n, dtype=np.float64)
        q = {w: (1.0 + math.log(c)) * self.idf[w] for w, c in _counts(text).items() if w in self.idf}
        qn = math.sqrt(sum(v * v for v in q.values())) or 1.0
        for w, v in q.items():
            ids, wt = self.postings[w]
            out[ids] += wt * (v / qn)
        return out

    def search(
        self, queries: Sequence[str], top: int, masks: Sequence[Mask | None] | None = None
    ) -> list[list[Hit]]:
        return [
            rank(self.score(t), self.keys, top, masks[i] if masks is not None else None)
            for i, t in enumerate(queries)
        ]
