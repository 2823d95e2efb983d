"""The few-shot classifier fitted over a workspace's articles: when it is fitted, that it is stable
(articles that share a question are told apart by nothing, so they get the same probability), and
that it learns which words tell articles apart."""

from __future__ import annotations

import numpy as np
import pytest

from socialdesk.knowledge import classifier
from socialdesk.knowledge.index import Document, Embedding, Index, Weights


def _embedding() -> Embedding:
    words = ["card", "refund", "where", "is", "my", "lost"]
    rng = np.random.default_rng(0)
    return Embedding(
        rows={w: i for i, w in enumerate(words)},
        vectors=rng.normal(size=(len(words), 6)).astype(np.float32),
        weights=rng.uniform(0.2, 1.0, size=len(words)).astype(np.float32),
    )


def test_two_identical_articles_get_the_same_probability() -> None:
    """Regression: at a fixed step of 40 (no bound from the data) gradient descent oscillated and
    rounding decided which of two identical articles won (probabilities 0.9999 and 0.0001)."""
    docs = [
        Document(key="a", title="lost card", questions=("my card is lost",)),
        Document(key="b", title="lost card", questions=("my card is lost",)),
        Document(key="c", title="refund", questions=("where is my refund",)),
    ]
    p = Index(docs, _embedding(), Weights()).parts(["my card is lost"])[4, 0]
    assert p[0] == pytest.approx(p[1], abs=1e-6)
    assert p[0] > p[2]


def test_no_example_question_means_no_classifier_and_the_blend_without_it() -> None:
    docs = [Document(key="a", title="refund policy"), Document(key="b", title="late order")]
    index = Index(docs, None, Weights())
    assert index.classifier is None
    assert not index.parts(["refund"])[4].any()


def test_a_workspace_too_large_to_fit_quickly_is_scored_without_the_classifier(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    docs = [Document(key=f"d{i}", title=f"topic {i}", questions=(f"about topic {i}",)) for i in range(30)]
    assert Index(docs, None, Weights()).classifier is not None
    monkeypatch.setattr(classifier, "MAX_CELLS", 500)
    assert Index(docs, None, Weights()).classifier is None


def test_the_classifier_learns_the_word_that_tells_two_articles_apart() -> None:
    """Both articles' questions share most words; only "lost" / "arrived" decide. BM25 alone ties
    on a post that repeats the shared words; the classifier's weight on the deciding word breaks it."""
    docs = [
        Document(
            key="lost",
            title="card",
            questions=("my new card was lost in the post", "lost card in the post", "card lost post"),
        ),
        Document(
            key="arrived",
            title="card",
            questions=("my new card arrived in the post", "card arrived post", "arrived card in the post"),
        ),
    ]
    index = Index(docs, None, Weights())
    p = index.parts(["new card post post card lost"])[4, 0]
    assert p[0] > 0.6 > p[1]
    assert index.search(["card post lost"], 1)[0][0].key == "lost"
    assert index.search(["card post arrived"], 1)[0][0].key == "arrived"
    np.testing.assert_allclose(p.sum(), 1.0)


def test_without_a_classifier_the_four_other_parts_are_blended_as_before_it() -> None:
    """Regression: the shipped weights give the classifier a share; with none fitted that share must
    not vanish from the blend (the other parts keep the weights tuned without a classifier)."""
    docs = [Document(key="a", title="refund policy"), Document(key="b", title="late order refund")]
    got = Index(docs, None, Weights()).scores(["refund policy late"])
    want = Index(docs, None, Weights(0.5, 0.3, 0.1, 0.1, 0.0)).scores(["refund policy late"])
    np.testing.assert_allclose(got, want)
    assert Weights().without_classifier() == Weights(0.5, 0.3, 0.1, 0.1, 0.0)


def test_weights_that_give_the_classifier_nothing_are_used_as_they_are() -> None:
    w = Weights(1.0, 0.0, 0.0, 0.0, 0.0)
    assert w.without_classifier() is w
