"""The bounded types of what the web layer accepts, shared by every route (API and UI).

`Id`: every record id, in paths, query filters and bodies. Ids are positive 64-bit integers in both
databases; a larger number (say 2**64) used to reach the driver and fail there with a server error.
As an `Id` it is refused up front with 422 and pydantic's message naming the parameter, e.g.
``path.conversation_id: Input should be less than or equal to 9223372036854775807``.
tests/web/api/test_hostile_input.py checks that every route's integer path parameter is one.

`Instant`: a date-time a request names (report ranges, due dates): within the years 1970-9999 once in
UTC, so no later conversion or comparison overflows (``0001-01-01T00:00:00+01:00`` did).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from annotated_types import Ge, Le
from pydantic import AfterValidator, BaseModel, field_validator

MAX_ID = 2**63 - 1
"""The largest id SQLite's INTEGER and PostgreSQL's BIGINT hold."""

Id = Annotated[int, Ge(1), Le(MAX_ID)]

MAX_SECONDS = 10 * 366 * 24 * 3600
"""The longest duration in seconds a setting accepts (SLA targets, read-budget windows): ten years."""

FIRST_YEAR, LAST_YEAR = 1970, 9999


def _within_years(value: datetime) -> datetime:
    """`value` if it falls in FIRST_YEAR-LAST_YEAR (in UTC when it has a zone), else a ValueError."""
    try:
        year = value.astimezone(UTC).year if value.tzinfo is not None else value.year
    except OverflowError:
        year = 0
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"must fall in the years {FIRST_YEAR}-{LAST_YEAR} (UTC)")
    return value


Instant = Annotated[datetime, AfterValidator(_within_years)]


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(_holds_nul(item) for item in value)
    return False


class InputModel(BaseModel):
    """The base of every request body the API reads (but the ingest batch, which reports each post's
    problems itself): no text in it may hold a NUL character, which PostgreSQL cannot store (it failed
    the write, a 500). The 422 names the field."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        if _holds_nul(value):
            raise ValueError("contains a NUL character (\\u0000), which is not storable text")
        return value


def id_from_text(text: str) -> int | None:
    """The `Id` a form or filter field spells in ASCII digits, or None when it spells none."""
    text = text.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 19):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None
