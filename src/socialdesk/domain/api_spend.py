"""What a network's API costs: charges per request, price tables and the monthly cap (pure).

Pay-per-use APIs (X since 2026) bill each read per resource returned and each write per request. A
network's descriptor may carry a ``pricing`` rule turning one HTTP exchange into a `Charge`; the
`Connector` then asks a `SpendGate` (ports/channels.py) before every request (a spent read budget or a
reached monthly cap refuses it, so it is never sent) and tells it the charge after every answer. Probes,
backfills, senders and the channel runner's clients all go through the connector, so every read is
counted.

Prices come from the descriptor's documented defaults, overridden per network by the
``SOCIALDESK_API_PRICES`` setting (``"x:post_read=0.005, x:post_create=0.015"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = [
    "Charge",
    "PriceTable",
    "monthly_cap",
    "monthly_cap_problem",
    "parse_prices",
    "usd_micros",
]

PriceTable = Mapping[str, Decimal]  # price name -> US dollars per unit

MAX_PRICE = Decimal(1000)
MAX_CAP = Decimal(10_000_000)
CAP_SETTING = "monthly_cap_usd"  # an account setting of the priced networks


@dataclass(frozen=True, slots=True)
class Charge:
    """What one exchange with the network cost: resources read, write requests, and the dollars."""

    reads: int = 0
    writes: int = 0
    usd: Decimal = Decimal(0)

    def __add__(self, other: Charge) -> Charge:
        return Charge(self.reads + other.reads, self.writes + other.writes, self.usd + other.usd)

    @property
    def empty(self) -> bool:
        return self.reads == 0 and self.writes == 0 and self.usd == 0


def usd_micros(usd: Decimal) -> int:
    """Dollars as whole millionths (how spend is stored: exact sums, no float drift)."""
    return int((usd * 1_000_000).to_integral_value())


def parse_prices(text: str, known: Mapping[str, PriceTable] | None) -> dict[str, dict[str, Decimal]]:
    """``"network:price=dollars, ..."`` into overrides per network; ValueError says which entry is wrong.

    ``known`` is each priced network's default table: an unknown network or price name is an error
    (a typo would otherwise silently keep the default). ``None``: the form only (settings load before
    the networks are known)."""
    prices: dict[str, dict[str, Decimal]] = {}
    for raw in text.split(","):
        entry = raw.strip()
        if not entry:
            continue
        key, sep, value = entry.partition("=")
        network, colon, name = key.strip().partition(":")
        if not sep or not colon:
            raise ValueError(f"api prices: {entry[:200]!r} is not network:price=dollars")
        if known is None:
            pass
        elif network not in known:
            names = ", ".join(sorted(known)) or "none"
            raise ValueError(f"api prices: {network[:50]!r} has no price table (priced networks: {names})")
        elif name not in known[network]:
            names = ", ".join(sorted(known[network]))
            raise ValueError(f"api prices: {network}:{name[:50]} is not a price (known: {names})")
        try:
            dollars = Decimal(value.strip())
        except InvalidOperation:
            shown = value.strip()[:50]
            raise ValueError(f"api prices: {network}:{name} = {shown!r} is not a number") from None
        if not dollars.is_finite() or dollars < 0 or dollars > MAX_PRICE:
            raise ValueError(f"api prices: {network}:{name} must be between 0 and {MAX_PRICE} dollars")
        prices.setdefault(network, {})[name] = dollars
    return prices


def monthly_cap_problem(value: object) -> str | None:
    """What is wrong with a ``monthly_cap_usd`` setting (None, or a dollar amount above 0), else None."""
    if value is None or value == "":
        return None
    try:
        cap = Decimal(str(value).strip())
    except InvalidOperation:
        return f"{CAP_SETTING}: {str(value)[:50]!r} is not an amount in dollars"
    if not cap.is_finite() or cap <= 0 or cap > MAX_CAP:
        return f"{CAP_SETTING}: an amount in dollars above 0 and at most {MAX_CAP:,}"
    return None


def monthly_cap(settings: Mapping[str, object]) -> Decimal | None:
    """The account's hard cap on a month's spend in dollars, or None (validated when it was stored)."""
    value = settings.get(CAP_SETTING)
    if value is None or value == "" or monthly_cap_problem(value) is not None:
        return None
    return Decimal(str(value).strip())
