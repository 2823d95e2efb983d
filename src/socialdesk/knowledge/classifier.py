"""A few-shot classifier over a workspace's articles, fitted when the index is built.

Articles carry example questions (what customers write when the article is the answer), so each
article is a class and its title and example questions are its training examples. The model is a
multinomial logistic regression over

* the TF-IDF (sublinear tf, smoothed idf, L2-normalised) of the example's search tokens and of its
  adjacent token pairs (``knowledge.text.tokens``: folded, stemmed, no stopwords), with the
  vocabulary and idf of the training examples; and
* the text's static embedding (a unit vector, the same as the dense score's),

fitted by `STEPS` steps of full-batch gradient descent from zero weights (fixed rate, small L2, no
bias: a learnt bias oscillates at this rate, and an article's prior should not come from how many
questions it has), so the same articles always give the same model. Features are sparse, so a step costs about
(non-zero features + embedding dimension) x articles per example.

Only what the articles contain is used. It is fitted only when some article has an example question
(titles alone are no training set) and when fitting stays cheap (`MAX_CELLS`); otherwise `fit`
returns None and the index scores without it. Fitting costs (non-zero features + examples) x articles
per step, so today a workspace of a few hundred articles with a handful of questions each gets a
classifier and one of 10,000 articles does not (see docs/knowledge.md).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from socialdesk.knowledge.text import tokens

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
STEPS = 100
RATE = 40.0
L2 = 1e-5
POWER_STEPS = 30
# (non-zero features + examples) x articles and features x articles, each at most this: about a
# second of fitting and 32 MB of weights (BANKING77's 77 articles of 11 examples: 1.0 M)
MAX_CELLS = 4_000_000


def features(text: str) -> list[str]:
    """The sparse features of a text: its search tokens and adjacent token pairs."""
    toks = tokens(text)
    return toks + [f"{a} {b}" for a, b in itertools.pairwise(toks)]


@dataclass(frozen=True, slots=True)
class _Sparse:
    """Rows of TF-IDF features: row r's entries are cols/vals[ptr[r]:ptr[r+1]]."""

    rows: I64
    cols: I64
    vals: F64
    m: int

    def times(self, w: F64) -> F64:
        """This (m x features) matrix times `w` (features x k). Entries are in row order, so each
        non-empty row is one contiguous run of them."""
        out = np.zeros((self.m, w.shape[1]), dtype=np.float64)
        if len(self.rows):
            starts = np.flatnonzero(np.r_[True, self.rows[1:] != self.rows[:-1]])
            out[self.rows[starts]] = np.add.reduceat(self.vals[:, None] * w[self.cols], starts, axis=0)
        return out

    def transpose_times(self, g: F64, features: int) -> F64:
        """The transpose (features x m) times `g` (m x k)."""
        out = np.zeros((features, g.shape[1]), dtype=np.float64)
        if len(self.cols):
            order = np.argsort(self.cols, kind="stable")
            cols = self.cols[order]
            starts = np.flatnonzero(np.r_[True, cols[1:] != cols[:-1]])
            contrib = self.vals[order, None] * g[self.rows[order]]
            out[cols[starts]] = np.add.reduceat(contrib, starts, axis=0)
        return out


class Classifier:
    """P(article | text) from a fitted multinomial logistic regression."""

    def __init__(self, vocabulary: dict[str, int], idf: F64, sparse_w: F64, dense_w: F64) -> None:
        self.vocabulary = vocabulary
        self.idf = idf
        self.sparse_w = sparse_w
        self.dense_w = dense_w
        self.center = np.zeros(dense_w.shape[0])  # the examples' mean embedding, taken off every text's

    def matrix(self, texts: Sequence[str]) -> _Sparse:
        """The L2-normalised sublinear TF-IDF rows of `texts` (features outside the vocabulary dropped)."""
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for r, text in enumerate(texts):
            counts: dict[int, int] = {}
            for f in features(text):
                j = self.vocabulary.get(f)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            js = sorted(counts)
            v = np.array([(1.0 + np.log(counts[j])) * self.idf[j] for j in js])
            v /= float(np.linalg.norm(v))
            rows += [r] * len(js)
            cols += js
            vals += v.tolist()
        return _Sparse(
            np.array(rows, dtype=np.int64),
            np.array(cols, dtype=np.int64),
            np.array(vals, dtype=np.float64),
            len(texts),
        )

    def logits(self, x: _Sparse, dense: F64) -> F64:
        out: F64 = x.times(self.sparse_w) + (dense - self.center) @ self.dense_w
        return out

    def probabilities(self, texts: Sequence[str], dense: F64) -> F64:
        """(texts, articles) probabilities; `dense` holds the texts' embeddings (texts x dim)."""
        return softmax(self.logits(self.matrix(texts), dense))


def softmax(z: F64) -> F64:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    out: F64 = e / e.sum(axis=1, keepdims=True)
    return out


def fit(
    examples: Sequence[str], labels: Sequence[int], articles: int, dense: F64, has_questions: bool
) -> Classifier | None:
    """The classifier of `articles` classes from `examples` (texts) and their article `labels`;
    `dense` holds the examples' embeddings (examples x dim, dim may be 0). None when there is no
    example question or the model would exceed `MAX_CELLS`."""
    if not has_questions or articles < 2 or len(examples) * articles > MAX_CELLS:
        return None  # (the last: a lower bound of the cost, checked before the vocabulary is built)
    vocabulary: dict[str, int] = {}
    df: list[int] = []
    for text in examples:
        for f in set(features(text)):
            j = vocabulary.setdefault(f, len(vocabulary))
            if j == len(df):
                df.append(0)
            df[j] += 1
    m = len(examples)
    if not vocabulary or len(vocabulary) * articles > MAX_CELLS:
        return None
    idf = np.log((1.0 + m) / (1.0 + np.array(df, dtype=np.float64))) + 1.0
    model = Classifier(vocabulary, idf, np.zeros((0, articles)), np.zeros((0, articles)))
    x = model.matrix(examples)
    if (len(x.vals) + m) * articles > MAX_CELLS:
        return None
    model.sparse_w = np.zeros((len(vocabulary), articles))
    model.dense_w = np.zeros((dense.shape[1], articles))
    model.center = dense.mean(axis=0)
    centered = dense - model.center
    rate = step_size(x, centered)
    y = np.asarray(labels, dtype=np.int64)
    for _ in range(STEPS):
        g = softmax(x.times(model.sparse_w) + centered @ model.dense_w)
        g[np.arange(m), y] -= 1.0
        g /= m
        model.sparse_w -= rate * (x.transpose_times(g, len(vocabulary)) + L2 * model.sparse_w)
        model.dense_w -= rate * (centered.T @ g + L2 * model.dense_w)
    return model


def step_size(x: _Sparse, dense: F64) -> float:
    """`RATE`, or less when that could make gradient descent oscillate: the loss's gradient is
    L-smooth with L at most half the largest eigenvalue of Z'Z/m (Z = [x, dense], m examples), and a
    step of 1/L never overshoots. The eigenvalue is estimated by `POWER_STEPS` power iterations from
    the all-ones vector, with a 10 % margin."""
    m = dense.shape[0]
    features = int(x.cols.max()) + 1 if len(x.cols) else 0
    u_sparse = np.ones((features, 1))
    u_dense = np.ones((dense.shape[1], 1))
    eigen = 0.0
    for _ in range(POWER_STEPS):
        norm = float(np.sqrt((u_sparse**2).sum() + (u_dense**2).sum()))
        if norm == 0.0:
            return RATE
        u_sparse /= norm
        u_dense /= norm
        z = x.times(u_sparse) + dense @ u_dense
        u_sparse = x.transpose_times(z, features) / m
        u_dense = dense.T @ z / m
        eigen = float(np.sqrt((u_sparse**2).sum() + (u_dense**2).sum()))
    smooth = 0.5 * eigen * 1.1 + L2
    return min(RATE, 1.0 / smooth) if smooth > 0.0 else RATE
