"""Engine settings: PostgreSQL plans each batch lookup for its own keys, and keeps the URL's options."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from socialdesk.storage.engine import make_engine


@pytest.mark.postgres
def test_postgres_sessions_plan_per_call_and_keep_url_options(postgres_url: str) -> None:
    joiner = "&" if "?" in postgres_url else "?"
    engine = make_engine(f"{postgres_url}{joiner}options=-c%20statement_timeout%3D12345")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW plan_cache_mode")).scalar_one() == "force_custom_plan"
            assert conn.execute(text("SHOW statement_timeout")).scalar_one() == "12345ms"
    finally:
        engine.dispose()
