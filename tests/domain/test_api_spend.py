"""Price tables and monthly caps as an admin writes them (issue 22 item 5)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from socialdesk.domain.api_spend import monthly_cap, monthly_cap_problem, parse_prices, usd_micros

KNOWN = {"x": {"post_read": Decimal("0.005"), "post_create": Decimal("0.015")}}


def test_overrides_parse_per_network() -> None:
    assert parse_prices(" x:post_read=0.004 , x:post_create=0.02,", KNOWN) == {
        "x": {"post_read": Decimal("0.004"), "post_create": Decimal("0.02")}
    }
    assert parse_prices("", KNOWN) == {}


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("x:post_read", "is not network:price=dollars"),
        ("post_read=0.1", "is not network:price=dollars"),
        ("mastodon:post_read=0.1", "has no price table"),
        ("x:post_reads=0.1", "is not a price (known: post_create, post_read)"),
        ("x:post_read=cheap", "is not a number"),
        ("x:post_read=-1", "between 0 and"),
        ("x:post_read=NaN", "between 0 and"),
        ("x:post_read=1e9", "between 0 and"),
    ],
)
def test_a_wrong_entry_says_which_and_why(text: str, says: str) -> None:
    with pytest.raises(ValueError, match="api prices") as caught:
        parse_prices(text, KNOWN)
    assert says in str(caught.value)


def test_caps_are_positive_dollar_amounts() -> None:
    assert monthly_cap_problem(None) is None
    assert monthly_cap_problem("25.50") is None
    assert monthly_cap_problem(40) is None
    for bad in ("0", "-5", "lots", "inf", True):
        assert monthly_cap_problem(bad) is not None
    assert monthly_cap({"monthly_cap_usd": "25.5"}) == Decimal("25.5")
    assert monthly_cap({}) is None


def test_dollars_are_stored_as_exact_millionths() -> None:
    assert usd_micros(Decimal("0.005") * 3) == 15_000
    assert sum(usd_micros(Decimal("0.015")) for _ in range(1000)) == 15_000_000


def test_a_malformed_price_setting_is_refused_when_settings_load() -> None:
    from pydantic import ValidationError

    from socialdesk.config import Settings

    with pytest.raises(ValidationError, match="is not a number"):
        Settings(api_prices="x:post_read=cheap")
    assert Settings(api_prices="x:post_read=0.004").api_prices == "x:post_read=0.004"
