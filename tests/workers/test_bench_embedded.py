"""`socialdesk bench pipeline`'s embedded runs store every post and report it; timings are printed by
the benchmark, never asserted."""

from __future__ import annotations

import pytest

from socialdesk.bench.pipeline import embedded


@pytest.mark.parametrize(
    ("kwargs", "transactions"),
    [({}, True), ({"queued": False}, False), ({"rate": 2000.0}, True), ({"batch": 250}, True)],
    ids=["queued", "direct", "at-rate", "batch-250"],
)
def test_embedded_run_reaches_the_inbox_with_every_post(
    kwargs: dict[str, object], transactions: bool
) -> None:
    result = embedded(600, **kwargs)  # type: ignore[arg-type]
    assert result["posts"] == result["reached_inbox"] == 600
    assert result["posts_per_s"] > 0
    assert result["latency_ms_p99"] >= result["latency_ms_p50"] > 0
    if transactions:  # through the queue: at least one group, at most one per batch
        assert 1 <= result["transactions"] <= 600 // result["batch"] + 1
        assert result["triage_processes"] >= 0
    else:
        assert "transactions" not in result
