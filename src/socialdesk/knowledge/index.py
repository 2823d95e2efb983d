"""The retrieval core: which articles answer a post, scored by a blend of BM25 and dense similarity.

Pure: no I/O. An `Index` is built once from documents (an article's title, body, tags and example
questions) and answers many queries. Every article is split into passages: one for the article
as a whole and one per example question. A query is scored against each article by

* ``bm25_article``: BM25 of the query against the whole article;
* ``bm25_question``: the best BM25 of the query against one of the article's example questions (or
  its title), so a post close to one example question wins even when the article is long;
* ``dense_question``: the best cosine between the query's static embedding and one passage's;
* ``dense_centroid``: the cosine with the mean of the article's passage embeddings;
* ``classifier``: the probability of the article given the query under a logistic regression fitted
  at build time on the articles' own titles and example questions (`knowledge.classifier`; zero
  for every article when none is fitted: no example question, or too many articles, and then the
  four others are blended with `Weights.fallback`; and zero where every other part is zero, so a
  post with no word or meaning in common still gets no suggestion),

each BM25 divided by the most the query could score (the sum of its terms' saturated weights), so
every part lies in [0, 1] and the blend weights (`Weights`) mean the same for short and long posts.
Everything is numpy arrays: sparse BM25 through per-term postings and `bincount`, dense through one
matrix product per batch of queries, per-article maxima through `maximum.reduceat`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from socialdesk.knowledge.classifier import Classifier, fit
from socialdesk.knowledge.text import stem, tokens, words

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
_DENSE_MIN_DF = 64  # a term in at least this many documents (and 1/32 of them) is kept dense
_DENSE_MAX_TERMS = 128
_DENSE_FRACTION = 256
_SUB_BATCH = 16  # queries scored together: keeps the (queries x passages) matrices small


@dataclass(frozen=True, slots=True)
class Document:
    """What the index needs of an article."""

    key: str
    title: str
    body: str = ""
    questions: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Weights:
    """The blend. Tuned on BANKING77's train split (held-out part; see docs/knowledge.md)."""

    bm25_article: float = 0.4
    bm25_question: float = 0.2
    dense_question: float = 0.1
    dense_centroid: float = 0.0
    classifier: float = 0.3
    k1: float = 2.0
    b: float = 1.0
    # the four other parts' weights when no classifier is fitted (tuned without one)
    fallback: tuple[float, float, float, float] = (0.5, 0.3, 0.1, 0.1)

    def without_classifier(self) -> Weights:
        """The blend when no classifier is fitted: these weights if they give it nothing, else the
        fallback's."""
        if self.classifier == 0.0:
            return self
        a, q, d, c = self.fallback
        return replace(
            self, bm25_article=a, bm25_question=q, dense_question=d, dense_centroid=c, classifier=0.0
        )


@dataclass(frozen=True, slots=True)
class Hit:
    key: str
    score: float


@dataclass(frozen=True, slots=True)
class Embedding:
    """A static word embedding: folded word -> row of `vectors` (unit rows), with SIF weights."""

    rows: Mapping[str, int]
    vectors: F32
    weights: F32
    _found: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def row(self, word: str) -> int:
        """The word's row, else its stem's ("verifying" -> "verify"), else a shorter form of a long
        word ("withdrawal" -> "withdraw"); -1 when none is known. Remembered per word (bounded)."""
        found = self._found.get(word)
        if found is not None:
            return found
        s = stem(word)
        forms = [word, s, s + "e"]
        if len(word) >= 7:
            forms += [word[:-1], word[:-2]]
        found = next((self.rows[f] for f in forms if f in self.rows), -1)
        if len(self._found) < 200_000:
            self._found[word] = found
        return found

    def embed(self, texts: Sequence[str]) -> F32:
        """One unit vector per text: the SIF-weighted mean of its words' vectors (zero if none known)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            rows = [r for r in (self.row(w) for w in words(text)) if r >= 0]
            if rows:
                out[i] = self.weights[rows] @ self.vectors[rows]
        norms = np.linalg.norm(out, axis=1)
        norms[norms == 0.0] = 1.0
        unit: F32 = (out / norms[:, None]).astype(np.float32)
        return unit


class _Bm25:
    """BM25 over token lists, as per-term postings. Document i's score lands at position
    ``positions[i]`` of a row of ``width`` (default: i of n), so callers may lay documents out in
    padded slots; frequent terms are kept as dense rows, cheaper to add than to scatter."""

    def __init__(
        self,
        docs: Sequence[Sequence[str]],
        k1: float,
        b: float,
        positions: I64 | None = None,
        width: int | None = None,
    ) -> None:
        self.n = len(docs)
        self.width = self.n if width is None else width
        lengths = np.array([len(d) for d in docs], dtype=np.float64)
        avg = float(lengths.mean()) if self.n and lengths.sum() > 0 else 1.0
        postings: dict[str, list[tuple[int, int]]] = {}
        for i, doc in enumerate(docs):
            counts: dict[str, int] = {}
            for t in doc:
                counts[t] = counts.get(t, 0) + 1
            for t, c in counts.items():
                postings.setdefault(t, []).append((i, c))
        self.terms = {t: j for j, t in enumerate(postings)}
        df = np.array([len(p) for p in postings.values()], dtype=np.int64)
        self.idf = np.log1p((self.n - df + 0.5) / (df + 0.5))
        self.ptr = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
        docs_of = np.array([i for plist in postings.values() for i, _ in plist], dtype=np.int64)
        tf = np.array([c for plist in postings.values() for _, c in plist], dtype=np.float64)
        norm = k1 * (1.0 - b + b * lengths[docs_of] / avg)
        term_of = np.repeat(np.arange(len(postings)), df)
        # a posting's weight: idf * tf (k1 + 1) / (tf + norm); a query divides by its bound
        self.weight = self.idf[term_of] * tf * (k1 + 1.0) / (tf + norm)
        self.ids = docs_of if positions is None else positions[docs_of]
        self.bound_per_term = self.idf * (k1 + 1.0)
        frequent = np.flatnonzero(df >= max(_DENSE_MIN_DF, self.n // _DENSE_FRACTION))
        frequent = frequent[np.argsort(-df[frequent], kind="stable")[:_DENSE_MAX_TERMS]]
        self.dense_row = np.full(len(postings), -1, dtype=np.int64)
        self.dense_row[frequent] = np.arange(len(frequent))
        self.dense = np.zeros((len(frequent), self.width), dtype=np.float32)
        for r, j in enumerate(frequent.tolist()):
            lo, hi = int(self.ptr[j]), int(self.ptr[j + 1])
            self.dense[r, self.ids[lo:hi]] = self.weight[lo:hi]

    def scores(self, queries: Sequence[Sequence[str]]) -> F32:
        """Every query's BM25 divided by its bound (the most it could score): (queries, width)."""
        out = np.zeros((len(queries), self.width), dtype=np.float32)
        for i, query in enumerate(queries):
            js = sorted({self.terms[t] for t in query if t in self.terms})
            bound = float(self.bound_per_term[js].sum()) if js else 0.0
            if bound <= 0.0:
                continue
            row = out[i]
            rows = [int(self.dense_row[j]) for j in js if self.dense_row[j] >= 0]
            if rows:
                row += self.dense[rows].sum(axis=0)
            sparse = [j for j in js if self.dense_row[j] < 0]
            if len(sparse) == 1:
                lo, hi = int(self.ptr[sparse[0]]), int(self.ptr[sparse[0] + 1])
                row[self.ids[lo:hi]] += self.weight[lo:hi]
            elif sparse:
                ids = np.concatenate([self.ids[self.ptr[j] : self.ptr[j + 1]] for j in sparse])
                weights = np.concatenate([self.weight[self.ptr[j] : self.ptr[j + 1]] for j in sparse])
                row += np.bincount(ids, weights=weights, minlength=self.width).astype(np.float32)
            row *= np.float32(1.0 / bound)
        return out


class _Slots:
    """Passages laid out in `m` columns of R rows so per-article maxima are m contiguous passes: article
    a's j-th passage (j < m) sits in row a, column j; further passages fill extra rows after the n
    articles' rows (their owner kept). Position = column * R + row."""

    def __init__(self, counts: Sequence[int]) -> None:
        n = len(counts)
        self.m = max(1, int(np.percentile(counts, 75))) if n else 1
        cells: list[tuple[int, int]] = []
        extra_owner: list[int] = []
        for a, c in enumerate(counts):
            for j in range(c):
                if j < self.m:
                    cells.append((a, j))
                else:
                    if j % self.m == 0:
                        extra_owner.append(a)
                    cells.append((n + len(extra_owner) - 1, j % self.m))
        self.n = n
        self.rows = n + len(extra_owner)
        self.positions = np.array([col * self.rows + row for row, col in cells], dtype=np.int64)
        self.extra_owner = np.array(extra_owner, dtype=np.int64)
        self.width = self.rows * self.m
        self.used = np.zeros(self.width, dtype=bool)
        self.used[self.positions] = True

    def maxima(self, scores: F32) -> F32:
        """(queries, width) slot scores -> (queries, n) per-article maxima."""
        q = scores.shape[0]
        cols = scores.reshape(q, self.m, self.rows)
        best = cols[:, 0, :].copy()
        for j in range(1, self.m):
            np.maximum(best, cols[:, j, :], out=best)
        out = best[:, : self.n].copy()
        for e, a in enumerate(self.extra_owner.tolist()):
            np.maximum(out[:, a], best[:, self.n + e], out=out[:, a])
        return out


class Index:
    """Articles ready to be searched. Build once, query many times."""

    def __init__(self, docs: Sequence[Document], embedding: Embedding | None, weights: Weights) -> None:
        self.docs = list(docs)
        self.keys = [d.key for d in self.docs]
        self.weights = weights
        self.embedding = embedding
        passages = [p for d in self.docs for p in (d.title, *d.questions)]
        whole = [" ".join([d.title, *d.tags, d.body, *d.questions]) for d in self.docs]
        self.slots = _Slots([1 + len(d.questions) for d in self.docs])
        self.languages = np.array([primary_language(d.language) for d in self.docs], dtype=object)
        self._article_bm25 = _Bm25([tokens(t) for t in whole], weights.k1, weights.b)
        self._question_bm25 = _Bm25(
            [tokens(p) for p in passages], weights.k1, weights.b, self.slots.positions, self.slots.width
        )
        dim = embedding.dim if embedding is not None else 0
        self.slot_vectors = np.zeros((self.slots.width, dim), dtype=np.float32)
        # an empty slot must never be an article's best passage: cosines are >= -1
        self.slot_penalty = np.where(self.slots.used, 0.0, -4.0).astype(np.float32)
        self.centroids = np.zeros((len(self.docs), dim), dtype=np.float32)
        vectors = np.zeros((len(passages), dim), dtype=np.float32)
        if embedding is not None and self.docs:
            vectors = embedding.embed(passages)
            self.slot_vectors[self.slots.positions] = vectors
            owner = np.repeat(np.arange(len(self.docs)), [1 + len(d.questions) for d in self.docs])
            sums = embedding.embed(whole)
            np.add.at(sums, owner, vectors)
            norms = np.linalg.norm(sums, axis=1)
            norms[norms == 0.0] = 1.0
            self.centroids = (sums / norms[:, None]).astype(np.float32)
        self.classifier: Classifier | None = None
        if weights.classifier > 0.0:
            labels = np.repeat(np.arange(len(self.docs)), [1 + len(d.questions) for d in self.docs])
            has_questions = any(d.questions for d in self.docs)
            self.classifier = fit(
                passages, labels.tolist(), len(self.docs), vectors.astype(np.float64), has_questions
            )

    def __len__(self) -> int:
        return len(self.docs)

    @property
    def passages(self) -> int:
        return len(self.slots.positions)

    def language_mask(self, language: str | None) -> Mask | None:
        """Articles in `language` (and those of no stated language) when some article is in
        `language`; else None: every article may answer."""
        if not language:
            return None
        same: Mask = self.languages == primary_language(language)
        if not bool(same.any()):
            return None
        either: Mask = same | (self.languages == "")
        return either

    def parts(self, queries: Sequence[str]) -> npt.NDArray[np.float64]:
        """The five scores of every query against every article: shape (5, queries, articles). The
        fifth, the classifier's probability, is zero when no classifier was fitted."""
        n, q = len(self.docs), len(queries)
        out = np.zeros((5, q, n), dtype=np.float64)
        if n == 0 or q == 0:
            return out
        for lo in range(0, q, _SUB_BATCH):
            chunk = queries[lo : lo + _SUB_BATCH]
            hi = lo + len(chunk)
            toks = [tokens(text) for text in chunk]
            out[0, lo:hi] = self._article_bm25.scores(toks)
            out[1, lo:hi] = self.slots.maxima(self._question_bm25.scores(toks))
            qv = np.zeros((len(chunk), self.centroids.shape[1]), dtype=np.float32)
            if self.embedding is not None:
                qv = self.embedding.embed(chunk)
                out[2, lo:hi] = self.slots.maxima(qv @ self.slot_vectors.T + self.slot_penalty)
                out[3, lo:hi] = qv @ self.centroids.T
            if self.classifier is not None:
                # a probability is never evidence on its own: an article with no word and no meaning
                # in common with the post keeps a score of zero
                evidence = (out[:4, lo:hi] != 0.0).any(axis=0)
                out[4, lo:hi] = self.classifier.probabilities(chunk, qv.astype(np.float64)) * evidence
        return out

    def scores(self, queries: Sequence[str]) -> npt.NDArray[np.float64]:
        """The blended score of every query against every article: shape (queries, articles)."""
        p = self.parts(queries)
        w = self.weights if self.classifier is not None else self.weights.without_classifier()
        blend: npt.NDArray[np.float64] = (
            w.bm25_article * p[0]
            + w.bm25_question * p[1]
            + w.dense_question * p[2]
            + w.dense_centroid * p[3]
            + w.classifier * p[4]
        )
        return blend

    def search(
        self, queries: Sequence[str], top: int, masks: Sequence[Mask | None] | None = None
    ) -> list[list[Hit]]:
        """The `top` best articles for each query, best first (ties: the earlier article first)."""
        scores = self.scores(queries)
        return [
            rank(scores[i], self.keys, top, masks[i] if masks is not None else None)
            for i in range(len(queries))
        ]


def primary_language(tag: str | None) -> str:
    """The primary subtag: "pt-BR", "pt_br" and "PT" are all "pt"; None is "" (no stated language)."""
    return (tag or "").strip().lower().replace("_", "-").split("-")[0]


def rank(row: npt.NDArray[np.float64], keys: Sequence[str], top: int, mask: Mask | None = None) -> list[Hit]:
    """The `top` highest positive scores of one row (restricted to `mask`), best first; ties go to
    the earlier article. A score of zero or less is no evidence at all: never suggested."""
    allowed = row > 0.0
    if mask is not None:
        allowed &= mask
    candidates = np.flatnonzero(allowed)
    if top <= 0 or len(candidates) == 0:
        return []
    if len(candidates) > top:
        values = row[candidates]
        kth = np.partition(values, len(values) - top)[len(values) - top]
        candidates = candidates[values >= kth]  # every tie at the boundary, ordered below
    order = sorted(candidates.tolist(), key=lambda j: (-row[j], j))[:top]
    return [Hit(keys[j], float(row[j])) for j in order]
