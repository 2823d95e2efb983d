"""Response equity and the response statistics: tiers, percentiles, the alert's thresholds."""

from __future__ import annotations

import pytest

from socialdesk.domain.equity import (
    EQUITY_FRT_RATIO,
    EQUITY_MIN_CASES,
    EQUITY_RATE_GAP_POINTS,
    equity_report,
    median,
    percentile,
    tier_of,
)


@pytest.mark.parametrize(
    ("followers", "tier"),
    [(None, "unknown"), (0, "under_100"), (99, "under_100"), (100, "100_1k"), (999, "100_1k"),
     (1_000, "1k_10k"), (9_999, "1k_10k"), (10_000, "10k_100k"), (99_999, "10k_100k"),
     (100_000, "over_100k"), (5_000_000, "over_100k")],
)  # fmt: skip
def test_tiers(followers: int | None, tier: str) -> None:
    assert tier_of(followers) == tier


def test_percentiles_interpolate_between_ranks() -> None:
    assert median([]) is None
    assert median([7.0]) == 7.0
    assert median([60, 120, 300, 1800]) == 210
    assert percentile([60, 120, 300, 1800], 90) == pytest.approx(1350)
    assert percentile([1, 2, 3, 4, 5], 90) == pytest.approx(4.6)
    assert percentile([5, 1, 3], 100) == 5


Sample = tuple[int | None, float | None]


def _group(followers: int, answered: int, unanswered: int, frt: float) -> list[Sample]:
    return [(followers, frt)] * answered + [(followers, None)] * unanswered


def test_no_alert_when_ordinary_accounts_are_answered_alike() -> None:
    report = equity_report(_group(50, 9, 1, 600) + _group(500, 0, 0, 0) + _group(20_000, 10, 0, 500))
    # Exactly 10 points apart: not more than the threshold.
    assert (report.ordinary.response_rate, report.influencer.response_rate) == (90.0, 100.0)
    assert report.ordinary.median_frt_s == 600 <= EQUITY_FRT_RATIO * 500
    assert not report.alert
    assert report.reasons == ()


def test_alert_when_ordinary_accounts_are_answered_less_often() -> None:
    report = equity_report(_group(50, 4, 2, 300) + _group(300, 4, 2, 300) + _group(150_000, 10, 0, 300))
    assert report.ordinary.response_rate == pytest.approx(66.7)
    assert EQUITY_RATE_GAP_POINTS < 100 - 66.7
    assert report.alert
    assert len(report.reasons) == 1
    assert "answered 66.7% of the time" in report.reasons[0]


def test_alert_when_ordinary_accounts_wait_longer() -> None:
    report = equity_report(_group(10, 5, 0, 1_600) + _group(50_000, 5, 0, 1_000))
    assert report.alert  # 1600 s > 1.5 x 1000 s
    assert "1.6x longer" in report.reasons[0]
    assert not equity_report(_group(10, 5, 0, 1_500) + _group(50_000, 5, 0, 1_000)).alert  # exactly 1.5x


def test_no_alert_from_too_few_cases() -> None:
    few = _group(10, 0, EQUITY_MIN_CASES - 1, 0) + _group(50_000, 10, 0, 60)
    assert not equity_report(few).alert
    assert equity_report(_group(10, 0, EQUITY_MIN_CASES, 0) + _group(50_000, 10, 0, 60)).alert


def test_report_lists_every_tier_in_order() -> None:
    report = equity_report([(50, 60.0), (None, None), (2_000, 120.0), (2_000, None)])
    keys = ["under_100", "100_1k", "1k_10k", "10k_100k", "over_100k", "unknown"]
    assert [t.key for t in report.tiers] == keys
    middle = report.tiers[2].stats
    assert (middle.cases, middle.responded, middle.response_rate, middle.median_frt_s) == (2, 1, 50.0, 120.0)
    assert report.tiers[1].stats.response_rate is None
