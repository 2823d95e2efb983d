"""`socialdesk evaluate kb --quick --json` on the shared data: rows per seed and their mean for our
index, the weights tuned in the run and the TF-IDF baseline, and TWCS; ours beats the baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socialdesk.cli.main import app
from tests.conftest import shared_data


@pytest.mark.slow  # about 30 s on a busy 2-core machine
def test_evaluate_kb_reports_recall_beside_the_baseline(monkeypatch: pytest.MonkeyPatch) -> None:
    banking = shared_data("banking77/test.csv")
    shared_data("twcs/twcs_first5000.csv")
    monkeypatch.setenv("SOCIALDESK_DATA_DIR", str(banking.parent.parent))
    result = CliRunner().invoke(app, ["evaluate", "kb", "--quick", "--json"])
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    by = {(r["dataset"], r["method"], r["seed"]): r for r in rows}
    assert {("banking77", m, s) for m in ("ours", "tfidf baseline") for s in ("1", "2", "mean")} <= set(by)
    assert by["banking77", "ours", "1"]["queries"] == 3080
    ours, base = by["banking77", "ours", "mean"], by["banking77", "tfidf baseline", "mean"]
    assert ours["recall_at_1"] > base["recall_at_1"] and ours["recall_at_3"] >= base["recall_at_3"]
    assert 0.0 < ours["recall_at_1"] <= ours["recall_at_3"] <= 1.0
    assert ("twcs", "ours", "-") in by and by["twcs", "ours", "-"]["queries"] > 0


def test_evaluate_kb_without_the_data_says_where_it_looked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SOCIALDESK_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["evaluate", "kb", "--quick"])
    assert result.exit_code == 2
    assert "banking77" in result.stderr and str(tmp_path) in result.stderr
