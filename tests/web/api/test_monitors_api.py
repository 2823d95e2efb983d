"""Monitors, spam rules and triage corrections through the REST API (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from socialdesk.cli.main import app as cli
from socialdesk.runtime import Runtime
from tests.web.api.test_api import Api, _post
from tests.web.api.test_api import api as api


def test_monitor_create_list_and_preview(api: Api) -> None:
    bad = api.client.post("/api/v1/monitors", json={"name": "b", "query": "(acme OR"}, headers=api.h())
    assert bad.status_code == 422
    assert "column" in bad.json()["detail"]
    ok = api.client.post(
        "/api/v1/monitors",
        json={"name": "outage", "query": "wifi NEAR/3 down", "kind": "topic"},
        headers=api.h(),
    )
    assert ok.status_code == 201
    dup = api.client.post("/api/v1/monitors", json={"name": "outage", "query": "x"}, headers=api.h())
    assert dup.status_code == 422
    api.client.post("/api/v1/posts", json={"posts": [_post(1), _post(2, "all good here")]}, headers=api.h())
    listed = api.client.get("/api/v1/monitors", headers=api.h()).json()
    assert [(m["name"], m["matches"]) for m in listed] == [("outage", 1)]
    preview = api.client.post("/api/v1/monitors/preview", json={"query": "good"}, headers=api.h()).json()
    assert [m["text"] for m in preview["matches"]] == ["all good here"]
    other = api.client.get("/api/v1/monitors", headers=api.h(api.other_token)).json()
    assert other == []


def test_spam_rules_api(api: Api) -> None:
    r = api.client.post("/api/v1/spam-rules", json={"kind": "term", "value": "giveaway"}, headers=api.h())
    assert r.status_code == 201
    rule_id = r.json()["id"]
    api.client.post("/api/v1/posts", json={"posts": [_post(1, "huge giveaway")]}, headers=api.h())
    assert api.client.get("/api/v1/conversations", headers=api.h()).json()["items"] == []
    assert (
        api.client.delete(f"/api/v1/spam-rules/{rule_id}", headers=api.h(api.other_token)).status_code == 404
    )
    assert api.client.delete(f"/api/v1/spam-rules/{rule_id}", headers=api.h()).status_code == 204
    assert api.client.get("/api/v1/spam-rules", headers=api.h()).json() == []


def test_triage_correction_is_stored_and_exported(api: Api, runtime: Runtime, tmp_path: Path) -> None:
    api.client.post("/api/v1/posts", json={"posts": [_post(1, "my bill doubled, why?")]}, headers=api.h())
    conv = api.client.get("/api/v1/conversations", headers=api.h()).json()["items"][0]
    detail = api.client.get(f"/api/v1/conversations/{conv['id']}", headers=api.h()).json()
    message_id = detail["messages"][0]["id"]
    body = {"field": "category", "label": "question"}
    assert (
        api.client.post(
            f"/api/v1/messages/{message_id}/triage", json=body, headers=api.h(api.other_token)
        ).status_code
        == 404
    )
    fixed = api.client.post(f"/api/v1/messages/{message_id}/triage", json=body, headers=api.h())
    assert fixed.status_code == 200
    assert fixed.json()["category"] == "question"
    assert "category" in fixed.json()["corrected"]
    wrong = api.client.post(
        f"/api/v1/messages/{message_id}/triage", json={"field": "category", "label": "rant"}, headers=api.h()
    )
    assert wrong.status_code == 422
    out = tmp_path / "feedback.jsonl"
    result = CliRunner().invoke(
        cli, ["feedback", "export", "--out", str(out), "--db", runtime.settings.database_url, "-w", "acme"]
    )
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows == [{"text": "my bill doubled, why?", "field": "category", "label": "question"}]
