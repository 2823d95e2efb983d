"""The retrieval core against a brute-force reference written from the definitions (docs/knowledge.md),
on small random articles and queries; accents and case; per-question matching; ranking rules."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.knowledge import classifier
from socialdesk.knowledge.index import Document, Embedding, Index, Weights, rank
from socialdesk.knowledge.text import fold, tokens, words

VOCAB = [
    "card",
    "cards",
    "refund",
    "échec",
    "ÉCHEC",
    "paiement",
    "password",
    "login",
    "order",
    "late",
    "the",
    "my",
]


def _embedding(seed: int, dim: int = 6) -> Embedding:
    rng = np.random.default_rng(seed)
    folded = sorted({fold(w) for w in VOCAB})
    return Embedding(
        rows={w: i for i, w in enumerate(folded)},
        vectors=rng.normal(size=(len(folded), dim)).astype(np.float32),
        weights=rng.uniform(0.2, 1.0, size=len(folded)).astype(np.float32),
    )


def _bm25(docs: Sequence[list[str]], query: list[str], k1: float, b: float) -> list[float]:
    n = len(docs)
    avg = sum(len(d) for d in docs) / n if n and sum(len(d) for d in docs) else 1.0
    terms = set(query)
    df = {t: sum(1 for d in docs if t in d) for t in terms}
    idf = {t: math.log1p((n - df[t] + 0.5) / (df[t] + 0.5)) for t in terms if df[t]}
    bound = sum(v * (k1 + 1) for v in idf.values())
    out = []
    for d in docs:
        total = 0.0
        for t, w in idf.items():
            tf = d.count(t)
            if tf:
                total += w * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(d) / avg))
        out.append(total / bound if bound > 0 else 0.0)
    return out


def _embed(e: Embedding, text: str) -> np.ndarray:
    rows = [e.row(w) for w in words(text) if e.row(w) >= 0]
    v = np.zeros(e.dim)
    for r in rows:
        v += float(e.weights[r]) * e.vectors[r].astype(np.float64)
    norm = np.linalg.norm(v)
    return v / norm if norm > 0 else v


def _features(text: str) -> list[str]:
    t = tokens(text)
    return t + [t[i] + " " + t[i + 1] for i in range(len(t) - 1)]


def reference_classifier(docs: Sequence[Document], queries: Sequence[str], e: Embedding) -> np.ndarray | None:
    """P(article | query) of a multinomial logistic regression, written from the definition with dense
    matrices: features = [sublinear TF-IDF of tokens and token pairs (vocabulary and idf of the
    examples), L2-normalised; the embedding less the examples' mean embedding], examples = each
    article's title and questions, gradient descent from zero (no bias) with a step that cannot
    overshoot. Zero when no article has a question (no classifier)."""
    examples = [(t, a) for a, d in enumerate(docs) for t in (d.title, *d.questions)]
    if not any(d.questions for d in docs) or len(docs) < 2:
        return None
    vocab: list[str] = []
    for t, _ in examples:
        vocab += [f for f in dict.fromkeys(_features(t)) if f not in vocab]
    if not vocab:
        return None
    m = len(examples)
    idf = [math.log((1 + m) / (1 + sum(1 for t, _ in examples if f in _features(t)))) + 1 for f in vocab]

    def tfidf(text: str) -> np.ndarray:
        fs = _features(text)
        v = np.array([(1 + math.log(fs.count(f))) * idf[j] if f in fs else 0.0 for j, f in enumerate(vocab)])
        norm = np.linalg.norm(v)
        return v / norm if norm > 0 else v

    def dense(text: str) -> np.ndarray:
        return _embed(e, text).astype(np.float32).astype(np.float64)  # the index keeps embeddings in float32

    center = np.mean([dense(t) for t, _ in examples], axis=0)

    def row(text: str) -> np.ndarray:
        return np.concatenate([tfidf(text), dense(text) - center])

    x = np.array([row(t) for t, _ in examples])
    y = np.zeros((m, len(docs)))
    for i, (_, a) in enumerate(examples):
        y[i, a] = 1.0
    # the step: RATE, or 1/L when smaller; L = 0.55 x (power-iteration estimate of x'x/m's top eigenvalue)
    u = np.ones(x.shape[1])
    eigen = 0.0
    for _ in range(classifier.POWER_STEPS):
        u = x.T @ (x @ (u / np.linalg.norm(u))) / m
        eigen = float(np.linalg.norm(u))
    rate = min(classifier.RATE, 1.0 / (0.55 * eigen + classifier.L2))
    w = np.zeros((x.shape[1], len(docs)))

    def softmax(z: np.ndarray) -> np.ndarray:
        ez = np.exp(z - z.max(axis=1, keepdims=True))
        return ez / ez.sum(axis=1, keepdims=True)

    for _ in range(classifier.STEPS):
        g = (softmax(x @ w) - y) / m
        w -= rate * (x.T @ g + classifier.L2 * w)
    return softmax(np.array([row(q) for q in queries]) @ w)


def reference_scores(
    docs: Sequence[Document], queries: Sequence[str], e: Embedding, weights: Weights
) -> np.ndarray:
    probabilities = reference_classifier(docs, queries, e)
    w = weights if probabilities is not None else weights.without_classifier()
    whole = [tokens(" ".join([d.title, *d.tags, d.body, *d.questions])) for d in docs]
    passages = [[tokens(p) for p in (d.title, *d.questions)] for d in docs]
    flat = [p for ps in passages for p in ps]
    out = np.zeros((len(queries), len(docs)))
    evidence = np.zeros((len(queries), len(docs)), dtype=bool)
    for qi, q in enumerate(queries):
        qt = tokens(q)
        art = _bm25(whole, qt, w.k1, w.b)
        per_passage = _bm25(flat, qt, w.k1, w.b)
        qv = _embed(e, q)
        pos = 0
        for a, d in enumerate(docs):
            n = len(passages[a])
            best_bm25 = max(per_passage[pos : pos + n])
            vecs = [_embed(e, p) for p in (d.title, *d.questions)]
            best_cos = max(float(qv @ v) for v in vecs)
            centroid = sum(vecs, _embed(e, " ".join([d.title, *d.tags, d.body, *d.questions])))
            norm = np.linalg.norm(centroid)
            cos_c = float(qv @ (centroid / norm)) if norm > 0 else 0.0
            out[qi, a] = w.bm25_article * art[a] + w.bm25_question * best_bm25 + w.dense_question * best_cos
            out[qi, a] += w.dense_centroid * cos_c
            evidence[qi, a] = any(v != 0.0 for v in (art[a], best_bm25, best_cos, cos_c))
            pos += n
    return out if probabilities is None else out + w.classifier * probabilities * evidence


text_st = st.lists(st.sampled_from(VOCAB), min_size=0, max_size=6).map(" ".join)
doc_st = st.builds(
    lambda t, b, qs: (t, b, tuple(qs)), text_st, text_st, st.lists(text_st, min_size=0, max_size=7)
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(doc_st, min_size=1, max_size=9),
    st.lists(text_st, min_size=1, max_size=5),
    st.integers(0, 3),
)
def test_the_index_scores_exactly_what_the_brute_force_reference_scores(
    raw_docs: list[tuple[str, str, tuple[str, ...]]], queries: list[str], seed: int
) -> None:
    docs = [Document(key=f"d{i}", title=t, body=b, questions=qs) for i, (t, b, qs) in enumerate(raw_docs)]
    e = _embedding(seed)
    w = Weights()
    got = Index(docs, e, w).scores(queries)
    want = reference_scores(docs, queries, e, w)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_accents_and_case_do_not_matter() -> None:
    assert fold("ÉCHEC") == fold("échec") == fold("Echec") == "echec"
    docs = [
        Document(key="fr", title="ÉCHEC de paiement", body="Votre carte a été refusée."),
        Document(key="en", title="Payment failed", body="Your card was declined."),
    ]
    index = Index(docs, None, Weights())
    assert index.search(["echec paiement"], 1)[0][0].key == "fr"
    assert index.search(["carte REFUSEE"], 1)[0][0].key == "fr"


def test_a_query_close_to_one_example_question_wins_over_a_long_article() -> None:
    long_body = " ".join(["card refund order login password late"] * 30)
    docs = [
        Document(key="long", title="Everything about cards", body=long_body),
        Document(key="q", title="Declined at checkout", questions=("why was my card declined at the shop",)),
    ]
    assert Index(docs, None, Weights()).search(["my card was declined at the shop"], 1)[0][0].key == "q"


def test_rank_keeps_ties_in_article_order_drops_zero_scores_and_respects_the_mask() -> None:
    row = np.array([0.5, 0.9, 0.5, 0.0, 0.5])
    keys = ["a", "b", "c", "d", "e"]
    assert [h.key for h in rank(row, keys, 3)] == ["b", "a", "c"]
    assert [h.key for h in rank(row, keys, 10)] == ["b", "a", "c", "e"]  # "d" scored 0: no evidence
    mask = np.array([True, False, False, True, True])
    assert [h.key for h in rank(row, keys, 3, mask)] == ["a", "e"]


def test_language_mask_prefers_the_customers_language_where_articles_exist() -> None:
    docs = [
        Document(key="en", title="refund", language="en"),
        Document(key="fr", title="remboursement", language="fr"),
        Document(key="any", title="refund policy"),
    ]
    index = Index(docs, None, Weights())
    fr = index.language_mask("fr")
    assert fr is not None and fr.tolist() == [False, True, True]
    assert index.language_mask("FR-ca") is not None and index.language_mask("fr_FR").tolist() == fr.tolist()  # type: ignore[union-attr]
    assert index.language_mask("de") is None  # no German article: every article may answer
    assert index.language_mask(None) is None


def test_an_empty_index_and_an_unknown_query_suggest_nothing() -> None:
    assert Index([], None, Weights()).search(["refund"], 3) == [[]]
    docs = [Document(key="a", title="refund")]
    assert Index(docs, _embedding(0), Weights()).search(["zzz qqq"], 3) == [[]]


def test_frequent_terms_kept_as_dense_rows_score_the_same_as_postings() -> None:
    """Enough articles that common terms pass the dense-row threshold (64 documents)."""
    rng = np.random.default_rng(5)

    def text(n: int) -> str:
        return " ".join(rng.choice(VOCAB, size=n))

    docs = [
        Document(key=f"d{i}", title=text(3), body=text(8), questions=(text(4), text(5))) for i in range(150)
    ]
    queries = [text(4) for _ in range(20)]
    index = Index(docs, _embedding(1), Weights())
    assert index._question_bm25.dense.shape[0] > 0 and index._article_bm25.dense.shape[0] > 0
    np.testing.assert_allclose(
        index.scores(queries), reference_scores(docs, queries, _embedding(1), Weights()), rtol=1e-4, atol=1e-5
    )


def test_words_missing_from_the_embedding_fall_back_to_their_stem_or_a_shorter_form() -> None:
    known = ["verify", "withdraw", "activate", "card"]
    e = Embedding(
        rows={w: i for i, w in enumerate(known)},
        vectors=np.eye(4, dtype=np.float32),
        weights=np.ones(4, dtype=np.float32),
    )
    assert e.row("verifying") == 0  # stem
    assert e.row("withdrawal") == 1  # two letters shorter
    assert e.row("activating") == 2  # stem + "e"
    assert e.row("cards") == 3
    assert e.row("zebra") == -1
    np.testing.assert_allclose(e.embed(["withdrawal"])[0], [0, 1, 0, 0])
