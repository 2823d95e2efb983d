"""`socialdesk bench kb`, briefly: our index and the TF-IDF baseline timed in one run on the same
queries, through the command line."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from socialdesk.cli.main import app


def test_bench_kb_times_the_index_beside_the_baseline() -> None:
    result = CliRunner().invoke(
        app, ["bench", "kb", "--articles", "300", "--queries", "100", "--repeats", "1"]
    )
    assert result.exit_code == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["articles"] == 300 and figures["passages"] == 1200 and figures["queries"] == 100
    assert figures["suggestions_per_s_cpu"] > 0 and figures["baseline_tfidf_per_s_cpu"] > 0
    assert figures["ratio_to_baseline"] > 0 and figures["target_per_s"] == 500
