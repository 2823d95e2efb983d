"""`socialdesk bench incidents`, briefly: the detector, the signature floor and the reference are all
timed in one run, and the detector is faster than the reference on the same posts."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from socialdesk.cli.main import app
from tests.conftest import shared_data


def test_bench_incidents_reports_the_detector_beside_its_baselines(monkeypatch: pytest.MonkeyPatch) -> None:
    twcs = shared_data("twcs/twcs_first5000.csv")
    monkeypatch.setenv("SOCIALDESK_DATA_DIR", str(twcs.parent.parent))
    from socialdesk.bench.incidents import run

    figures = run(days=1, repeats=1, reference_posts=200)
    assert figures["posts"] > 5000  # the warm-up day and the scored day
    assert figures["detector_posts_per_s"] > 0 and figures["signature_posts_per_s"] > 0
    assert figures["ratio_to_reference"] > 1.0


def test_bench_incidents_refuses_zero_days() -> None:
    result = CliRunner().invoke(app, ["bench", "incidents", "--days", "0"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --days must be at least 1"
