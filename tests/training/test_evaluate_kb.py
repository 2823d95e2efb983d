"""`socialdesk evaluate kb`'s building blocks: articles come from train only, the near-duplicate rule,
and the weight grid (the data sets themselves are only needed by the last test, skipped without them)."""

from __future__ import annotations

import pytest

from socialdesk.training import datasets as ds
from socialdesk.training.evaluate_kb import intent_articles, jaccard, reply_tokens, weight_grid


def test_reply_tokens_ignore_mentions_links_numbers_and_sign_offs() -> None:
    a = reply_tokens("@123 Sorry about that! Please DM us your order number 12345 https://t.co/x ^JK")
    b = reply_tokens("@987 sorry about that! Please DM us your order number. ^AB")
    assert a == b and jaccard(a, b) == 1.0
    assert jaccard(a, reply_tokens("Thanks for the kind words!")) < 0.5


def test_the_grid_sums_to_one_and_includes_the_corners() -> None:
    grid = weight_grid()
    assert len(grid) == 1001  # five weights in steps of 0.1 summing to one: C(14, 4)
    for w in grid:
        total = w.bm25_article + w.bm25_question + w.dense_question + w.dense_centroid + w.classifier
        assert abs(total - 1.0) < 1e-9
    assert any(w.bm25_article == 1.0 for w in grid) and any(w.classifier == 1.0 for w in grid)


def test_intent_articles_take_k_texts_per_intent_and_leave_the_rest() -> None:
    by = {"a": [f"a{i}" for i in range(15)], "b": [f"b{i}" for i in range(12)]}
    docs, rest = intent_articles(by, 10, seed=1)
    assert [len(d.questions) for d in docs] == [10, 10]
    assert {t for d in docs for t in d.questions}.isdisjoint(t for t, _ in rest)
    assert len(rest) == 7
    assert intent_articles(by, 10, seed=1) == (docs, rest)  # the seed fixes the draw


@pytest.mark.skipif(not (ds.data_dir() / "banking77" / "test.csv").is_file(), reason="needs the shared data")
def test_no_banking77_test_text_is_ever_an_example_question() -> None:
    from socialdesk.training.evaluate_kb import _by_intent

    train = _by_intent(ds.read_banking77("train").examples)
    test = {e.text for e in ds.read_banking77("test").examples}
    for seed in (1, 2, 101):
        docs, _ = intent_articles(train, 10, seed)
        assert len(docs) == 77
        assert not test & {q for d in docs for q in d.questions}
