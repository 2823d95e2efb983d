"""Metrics, folds and feedback parsing (no data needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialdesk.training.evaluate import Row, format_table
from socialdesk.training.feedback import FeedbackError, parse_feedback_line, read_feedback
from socialdesk.training.metrics import accuracy, macro_f1, macro_recall, stratified_folds


def test_metrics() -> None:
    gold = ["a", "a", "b", "b"]
    pred = ["a", "b", "b", "b"]
    assert accuracy(gold, pred) == 0.75
    assert macro_recall(gold, pred) == pytest.approx((0.5 + 1.0) / 2)
    assert macro_f1(gold, pred) == pytest.approx((2 / 3 + 0.8) / 2)


def test_folds_are_stratified_and_deterministic() -> None:
    keys = ["x"] * 30 + ["y"] * 10
    folds = stratified_folds(keys, 10, seed=1)
    assert folds == stratified_folds(keys, 10, seed=1)
    for f in range(10):
        assert sum(1 for k, g in zip(keys, folds, strict=True) if g == f and k == "y") == 1


def test_feedback_lines(tmp_path: Path) -> None:
    path = tmp_path / "fb.jsonl"
    path.write_text(
        '{"text": "love it", "field": "sentiment", "label": "positive"}\n'
        '{"text": "down again", "field": "category", "label": "outage_report"}\n'
        '{"text": "thanks", "field": "needs_reply", "label": false}\n'
    )
    rows = read_feedback(path)
    assert [r.label for r in rows] == ["positive", "outage_report", "false"]
    with pytest.raises(FeedbackError, match="line 7"):
        parse_feedback_line('{"text": "x", "field": "category", "label": "angry"}', 7)
    with pytest.raises(FeedbackError, match="not JSON"):
        parse_feedback_line("{nope", 1)


def test_table_shows_na_for_missing_columns() -> None:
    table = format_table([Row("d", "s", "accuracy", 0.5, None, "pub")])
    assert "50.0" in table
    assert "n/a" in table
    assert "optional[ml]" in table
