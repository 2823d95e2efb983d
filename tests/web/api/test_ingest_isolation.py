"""`POST /api/v1/posts`: one bad post never costs its neighbours. A post the database refuses (a
trigger injects the fault, on SQLite and PostgreSQL) is reported with the reason and the rest of the
batch is stored; `raw` nested too deeply is reported per post; nothing answers 500."""

from __future__ import annotations

from sqlalchemy import text

from socialdesk.runtime import Runtime
from tests.web.api.test_api import Api, _post
from tests.web.api.test_api import api as api

_SQLITE_TRIGGER = """
CREATE TRIGGER poison BEFORE INSERT ON messages WHEN NEW.external_id = 'poison'
BEGIN SELECT RAISE(ABORT, 'the disk refused this row'); END
"""
_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION poison() RETURNS trigger AS $$
BEGIN
  IF NEW.external_id = 'poison' THEN RAISE EXCEPTION 'the disk refused this row'; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql
"""


def _poison(runtime: Runtime) -> None:
    with runtime.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text(_SQLITE_TRIGGER))
        else:
            conn.execute(text(_PG_FUNCTION))
            conn.execute(text("DROP TRIGGER IF EXISTS poison ON messages"))
            conn.execute(
                text("CREATE TRIGGER poison BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION poison()")
            )


def _unpoison(runtime: Runtime) -> None:
    with runtime.engine.begin() as conn:
        conn.execute(
            text("DROP TRIGGER IF EXISTS poison" + ("" if conn.dialect.name == "sqlite" else " ON messages"))
        )


def test_a_post_the_database_refuses_is_reported_and_its_batch_stored(api: Api, runtime: Runtime) -> None:
    _poison(runtime)
    try:
        posts = [_post(i) for i in range(1, 41)]
        posts[22] = _post(23, id="poison")
        answer = api.client.post("/api/v1/posts", json={"posts": posts}, headers=api.h())
    finally:
        _unpoison(runtime)
    assert answer.status_code == 200, answer.text
    out = answer.json()
    assert out["added"] == 39
    [error] = out["errors"]
    assert error["index"] == 22
    assert error["message"].startswith("not stored: ")
    assert "the disk refused this row" in error["message"]
    assert len(error["message"]) <= 220
    with runtime.uow() as uow:
        assert uow.messages.count(1) == 39


def test_raw_nested_too_deeply_is_reported_per_post(api: Api) -> None:
    deep: object = "bottom"
    for _ in range(150):
        deep = {"a": deep}
    posts = [_post(1), _post(2, raw=deep), _post(3, raw={"ok": [[1]]})]
    answer = api.client.post("/api/v1/posts", json={"posts": posts}, headers=api.h())
    assert answer.status_code == 200, answer.text
    out = answer.json()
    assert (out["added"], [(e["index"], e["field"], e["message"]) for e in out["errors"]]) == (
        2,
        [(1, "raw", "nested deeper than 100 levels")],
    )


def test_a_body_nested_thousands_deep_is_refused_not_a_server_error(api: Api) -> None:
    body = '{"posts": [{"raw": ' + "[" * 5000 + "]" * 5000 + "}]}"
    answer = api.client.post(
        "/api/v1/posts", content=body, headers={**api.h(), "Content-Type": "application/json"}
    )
    assert 400 <= answer.status_code < 500, answer.text
