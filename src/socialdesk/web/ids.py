"""`Id`: the one type of every record id the web layer accepts, in paths, query filters and bodies.

Ids are positive 64-bit integers in both databases. A larger number (say 2**64) used to reach the
driver and fail there with a server error; as an `Id` it is refused up front with 422 and pydantic's
message naming the parameter, e.g. ``path.conversation_id: Input should be less than or equal to
9223372036854775807``. tests/web/test_ids.py checks that every route's integer path parameter is one.
"""

from __future__ import annotations

from typing import Annotated

from annotated_types import Ge, Le

MAX_ID = 2**63 - 1
"""The largest id SQLite's INTEGER and PostgreSQL's BIGINT hold."""

Id = Annotated[int, Ge(1), Le(MAX_ID)]

MAX_SECONDS = 10 * 366 * 24 * 3600
"""The longest duration in seconds a setting accepts (SLA targets, read-budget windows): ten years."""
