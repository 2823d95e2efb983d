"""`socialdesk evaluate` trains and tests on disjoint texts."""

from __future__ import annotations

import pytest

from socialdesk.training import datasets as ds
from socialdesk.training.evaluate import LeakageError, check_disjoint, folds_for, without
from socialdesk.training.metrics import stratified_folds


def test_a_shared_text_is_refused_even_with_other_case_mentions_and_urls() -> None:
    with pytest.raises(LeakageError, match="1 test texts are also training texts"):
        check_disjoint(["@united my bag is LOST http://t.co/x", "fine"], ["@delta my bag is lost"], "demo")
    check_disjoint(["my bag is lost"], ["my bag is found"], "demo")


def test_identical_texts_share_a_fold() -> None:
    rows = [
        ds.Example(t, lab) for t, lab in [("a", "x"), ("b", "x"), ("A!", "y"), ("c", "y"), ("a", "y")] * 4
    ]
    folds = folds_for(rows, [e.label for e in rows], 3, 13)
    for f in range(3):
        check_disjoint(
            [e.text for e, g in zip(rows, folds, strict=True) if g != f],
            [e.text for e, g in zip(rows, folds, strict=True) if g == f],
            f"fold {f}",
        )


@pytest.mark.skipif(not ds.data_available(), reason="shared data not available")
def test_the_airline_folds_are_disjoint_where_plain_stratified_folds_were_not() -> None:
    """The airline file holds the same tweet more than once: row folds put copies on both sides."""
    data = ds.read_airline().examples
    gold = [e.label for e in data]
    plain = stratified_folds(gold, 10, 13)
    with pytest.raises(LeakageError):
        check_disjoint(
            [e.text for e, g in zip(data, plain, strict=True) if g != 0],
            [e.text for e, g in zip(data, plain, strict=True) if g == 0],
            "airline fold 0",
        )
    grouped = folds_for(data, gold, 10, 13)
    for f in range(10):
        check_disjoint(
            [e.text for e, g in zip(data, grouped, strict=True) if g != f],
            [e.text for e, g in zip(data, grouped, strict=True) if g == f],
            f"airline fold {f}",
        )


def test_rows_of_other_sources_that_copy_a_test_text_are_left_out() -> None:
    from socialdesk.training.train import HeadData

    head = HeadData()
    head.add("@dexrickey Prove it", "other")
    head.add("my flight was cancelled", "complaint", weight=2.0)
    tested = ["@someone prove it!"]
    with pytest.raises(LeakageError):
        check_disjoint(head.texts, tested, "complaints fold 0")
    kept = without(head, tested)
    check_disjoint(kept.texts, tested, "complaints fold 0")
    assert (kept.texts, kept.labels, kept.weights) == (["my flight was cancelled"], ["complaint"], [2.0])
