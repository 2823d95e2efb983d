"""Every route of the app, for every role, against one declared permission table.

A route the app serves that the table does not declare fails the suite, and so does a row for a route
the app no longer serves. Each route is called, with a minimal valid request, by an admin, a team lead,
an agent, an agent in training and someone with no session (API routes with a bearer token and with
the session cookie plus its CSRF token); the answer must fall in the declared class:

* ``OK``: allowed: 2xx, 3xx (not to /login) or a 4xx other than 401/403 (a 404 or 422 means the
  request reached the action);
* ``FORBIDDEN``: 403;
* ``LOGIN``: not logged in: 401 (API, the event stream) or a redirect to /login (UI pages);
* ``PUBLIC``: needs no login (signature-checked webhooks, the login form, static files): anything
  but a server error.

An admin naming another workspace's objects gets 404, and an API call with the session cookie but no
CSRF token is refused (403).

To declare a new route: add one row to `PERMISSIONS`, ``(METHOD, path as the app declares it)``, with
`EVERYONE` (agents and trainees too), `ADMINS`, `LEADS` (admins and team leads) or `PUBLIC` and the
smallest valid request (``json``, ``form``, ``query``; `Ref("kind")` stands for an object of the
caller's workspace, see tests/web/permission_world.py; a path parameter is found by its name in
`PARAMETER_KINDS` unless the row says otherwise in ``objects``).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from socialdesk.channels.probe import ProbeResult
from socialdesk.web import app as web_app
from socialdesk.web.api import channels as api_channels
from socialdesk.web.ui import events
from tests.web.permission_world import (
    ADMIN,
    AGENT,
    ANONYMOUS,
    LEAD,
    PASSWORD,
    ROLES,
    TRAINEE,
    Workspace,
    World,
    build_world,
)

OK, FORBIDDEN, LOGIN, PUBLIC = "allowed", "forbidden (403)", "asked to log in (401 or /login)", "public"
EVERYONE = {ADMIN: OK, LEAD: OK, AGENT: OK, TRAINEE: OK, ANONYMOUS: LOGIN}
ADMINS = {ADMIN: OK, LEAD: FORBIDDEN, AGENT: FORBIDDEN, TRAINEE: FORBIDDEN, ANONYMOUS: LOGIN}
LEADS = {ADMIN: OK, LEAD: OK, AGENT: FORBIDDEN, TRAINEE: FORBIDDEN, ANONYMOUS: LOGIN}  # and admins
OPEN = dict.fromkeys(ROLES, PUBLIC)


@dataclass(frozen=True)
class Ref:
    """An object of the caller's workspace (or, in the isolation check, of the other workspace)."""

    kind: str


@dataclass(frozen=True)
class Access:
    roles: Mapping[str, str]
    json: Any = None
    form: Mapping[str, Any] | None = None
    query: Mapping[str, Any] = field(default_factory=dict)
    objects: Mapping[str, str] = field(default_factory=dict)  # path parameter -> kind, where not obvious


def everyone(**request: Any) -> Access:
    return Access(EVERYONE, **request)


def admins(**request: Any) -> Access:
    return Access(ADMINS, **request)


def leads(**request: Any) -> Access:
    """Admins and team leads (the care workflow's configuration)."""
    return Access(LEADS, **request)


def public(**request: Any) -> Access:
    return Access(OPEN, **request)


PARAMETER_KINDS = {
    "conversation_id": "conversation",
    "case_id": "case",
    "message_id": "message",
    "team_id": "team",
    "user_id": "member",
    "approval_id": "approval",
    "reply_id": "saved_reply",
    "monitor_id": "monitor",
    "problem_id": "problem",
    "incident_id": "problem",  # an incident is a problem (docs/incidents.md)
    "article_id": "article",
    "account_id": "channel",
    "source_id": "channel",
    "macro_id": "macro",
    "view_id": "inbox_view",
    "brand_account_id": "brand_account",
}
POST = {
    "id": "p-new",
    "channel": "x",
    "text": "still down",
    "created_at": "2026-01-05T09:00:00Z",
    "author": {"id": "c9", "handle": "customer9"},
}
SLA = {"targets": [{"first_response_s": 3600, "next_response_s": 3600, "resolution_s": 86400}]}
FEED = {"network": "rss", "handle": "blog", "settings": {"feed_url": "http://127.0.0.1:9/blog.xml"}}
CONV = "/api/v1/conversations/{conversation_id}"
NEW_PASSWORD = "battery-staple-horse-42"
UI_CONV = "/conversations/{conversation_id}"

PERMISSIONS: dict[tuple[str, str], Access] = {
    # -- the REST API --------------------------------------------------------------------------------
    ("GET", "/api/v1/openapi.json"): public(),
    ("GET", "/api/v1/health"): public(),
    ("GET", "/api/v1/public/response-time"): public(
        query={"workspace": "acme", "channel": "x", "brand": "acme"}
    ),
    ("GET", "/api/v1/public/response-time.html"): public(
        query={"workspace": "acme", "channel": "x", "brand": "acme"}
    ),
    # users and tokens (admins manage; everyone lists and revokes their own tokens)
    ("GET", "/api/v1/users"): admins(),
    ("PATCH", "/api/v1/users/{user_id}"): admins(json={"role": "agent"}),
    ("POST", "/api/v1/users/{user_id}/password"): admins(json={"password": "battery-staple-horse-42"}),
    ("GET", "/api/v1/tokens"): everyone(),
    ("DELETE", "/api/v1/tokens/{token_id}"): everyone(objects={"token_id": "colleague_token"}),
    ("POST", "/api/v1/posts"): admins(json={"posts": [POST]}),
    ("GET", "/api/v1/posts/{channel}/{post_id}"): admins(objects={"channel": "static", "post_id": "static"}),
    ("GET", "/api/v1/conversations"): everyone(),
    ("GET", CONV): everyone(),
    ("POST", CONV + "/replies"): everyone(json={"text": "Sorry!", "confirm_stale": True}),
    ("POST", CONV + "/handoff"): everyone(json={"to": "email", "address": "c@example.com"}),
    ("POST", CONV + "/answered-elsewhere"): everyone(json={"via": "phone", "reference": "call 10:40"}),
    ("POST", CONV + "/merge"): everyone(json={"source_id": Ref("other_conversation")}),
    ("POST", CONV + "/split"): everyone(json={"message_ids": [Ref("message")]}),
    # hide/unhide: who can open the conversation; delete: admins, leads (tests/web/api/test_moderation_api.py)
    ("POST", CONV + "/messages/{message_id}/moderate"): everyone(json={"action": "hide"}),
    ("POST", CONV + "/notes"): everyone(json={"text": "checking"}),
    ("POST", CONV + "/presence"): everyone(json={"state": "viewing"}),
    ("GET", CONV + "/presence"): everyone(),
    ("POST", "/api/v1/cases/{case_id}/status"): everyone(json={"status": "open"}),
    ("POST", "/api/v1/cases/{case_id}/priority"): everyone(json={"priority": "high"}),
    ("POST", "/api/v1/cases/{case_id}/needs-reply"): everyone(json={"needs_reply": False}),
    ("POST", "/api/v1/cases/{case_id}/assign"): everyone(json={"assignee_id": Ref("self")}),
    ("GET", "/api/v1/cases/{case_id}/audit"): everyone(),
    ("POST", "/api/v1/queue/next"): everyone(),
    ("GET", "/api/v1/teams"): everyone(),
    ("POST", "/api/v1/teams"): leads(json={"name": "Night shift"}),
    ("PATCH", "/api/v1/teams/{team_id}"): leads(json={"strategy": "round_robin"}),
    ("POST", "/api/v1/teams/{team_id}/members"): leads(json={"user_id": Ref("self")}),
    ("DELETE", "/api/v1/teams/{team_id}/members/{user_id}"): leads(),
    ("GET", "/api/v1/agents"): everyone(),
    ("PATCH", "/api/v1/agents/{user_id}"): everyone(json={"status": "online"}, objects={"user_id": "self"}),
    ("GET", "/api/v1/routing-rules"): everyone(),
    ("POST", "/api/v1/routing-rules"): leads(json={"name": "vip", "priority": "high"}),
    ("DELETE", "/api/v1/routing-rules/{rule_id}"): leads(objects={"rule_id": "routing_rule"}),
    ("GET", "/api/v1/sla-policy"): everyone(),
    ("PUT", "/api/v1/sla-policy"): leads(json=SLA),
    ("PUT", "/api/v1/teams/{team_id}/sla-policy"): leads(json=SLA),
    ("DELETE", "/api/v1/teams/{team_id}/sla-policy"): leads(),
    ("GET", "/api/v1/approvals"): admins(),
    ("POST", "/api/v1/approvals/{approval_id}/approve"): admins(json={}),
    ("POST", "/api/v1/approvals/{approval_id}/return"): admins(json={"comment": "Softer, please"}),
    ("GET", "/api/v1/approval-rules"): everyone(),
    ("PUT", "/api/v1/approval-rules"): leads(json=[{"kind": "money"}]),
    ("GET", "/api/v1/notifications"): everyone(),
    ("POST", "/api/v1/notifications/read"): everyone(json={"ids": []}),
    ("GET", "/api/v1/saved-replies"): everyone(),
    ("POST", "/api/v1/saved-replies"): everyone(json={"title": "Thanks", "body": "Thank you!"}),
    # the world's saved reply is everyone's: only admins change or delete it
    ("PATCH", "/api/v1/saved-replies/{reply_id}"): admins(json={"title": "Hello"}),
    ("DELETE", "/api/v1/saved-replies/{reply_id}"): admins(),
    ("POST", "/api/v1/saved-replies/{reply_id}/render"): everyone(
        query={"conversation_id": Ref("conversation")}
    ),
    ("GET", "/api/v1/compose/count"): everyone(query={"channel": "x", "text": "hi"}),
    ("POST", "/api/v1/follow-ups"): everyone(
        json={"conversation_id": Ref("conversation"), "due_at": "2099-01-01T09:00:00Z"}
    ),
    ("GET", "/api/v1/follow-ups"): everyone(),
    ("GET", "/api/v1/audit.csv"): admins(),
    ("POST", "/api/v1/problems"): everyone(json={"title": "Billing bug"}),
    ("POST", "/api/v1/problems/{problem_id}/cases"): everyone(json={"case_ids": [Ref("case")]}),
    ("GET", "/api/v1/problems/{problem_id}"): everyone(),
    ("GET", "/api/v1/incidents"): everyone(query={"status": "confirmed"}),
    ("GET", "/api/v1/incidents/{incident_id}"): everyone(),
    # Agents write the note; status, owner, approval flag: leads' (tests/actions/test_incident_outreach.py).
    ("PATCH", "/api/v1/incidents/{incident_id}"): everyone(json={"note": "on it"}),
    ("GET", "/api/v1/incidents/{incident_id}/drafts"): everyone(),
    ("POST", "/api/v1/incidents/{incident_id}/answer-everyone"): leads(),
    ("POST", "/api/v1/incidents/{incident_id}/conversations"): everyone(
        json={"conversation_ids": [Ref("conversation")]}
    ),
    ("DELETE", "/api/v1/incidents/{incident_id}/conversations/{conversation_id}"): everyone(),
    ("GET", "/api/v1/monitors"): everyone(),
    ("POST", "/api/v1/monitors"): admins(json={"name": "outage", "query": "internet"}),
    ("POST", "/api/v1/monitors/preview"): everyone(json={"query": "internet"}),
    ("PATCH", "/api/v1/monitors/{monitor_id}"): admins(json={"active": False}),
    ("DELETE", "/api/v1/monitors/{monitor_id}"): admins(),
    ("GET", "/api/v1/kb/articles"): everyone(),
    ("GET", "/api/v1/kb/articles/{article_id}"): everyone(),
    ("POST", "/api/v1/kb/articles"): everyone(json={"title": "Refunds", "body": "How to get one."}),
    # The world's article is published: only reviewers (admins, knowledge editors) edit it or move it.
    ("PUT", "/api/v1/kb/articles/{article_id}"): admins(json={"title": "Outages", "body": "Status page."}),
    ("POST", "/api/v1/kb/articles/{article_id}/transitions"): admins(json={"transition": "archive"}),
    ("POST", "/api/v1/kb/suggest"): everyone(json={"posts": [{"text": "is it down?"}]}),
    # The world's message is the customer's: refused (422) by the action, which every role reaches.
    ("POST", "/api/v1/kb/saved-answers"): everyone(json={"message_id": Ref("message")}),
    ("GET", "/api/v1/spam-rules"): everyone(),
    ("POST", "/api/v1/spam-rules"): admins(json={"kind": "term", "value": "internet"}),
    ("DELETE", "/api/v1/spam-rules/{rule_id}"): admins(objects={"rule_id": "spam_rule"}),
    ("POST", "/api/v1/messages/{message_id}/triage"): everyone(json={"field": "category", "label": "praise"}),
    ("GET", "/api/v1/admin/dead-letters"): admins(),
    ("GET", "/api/v1/analytics/now"): everyone(),
    ("GET", "/api/v1/analytics/trends"): everyone(),
    ("GET", "/api/v1/analytics/equity"): everyone(),
    ("GET", "/api/v1/analytics/knowledge"): everyone(query={"format": "csv"}),
    ("GET", "/api/v1/analytics/unscripted"): everyone(),
    ("POST", CONV + "/reply-check"): everyone(json={"text": "Sorry about that!"}),
    ("GET", "/api/v1/channels"): everyone(),
    ("GET", "/api/v1/networks"): everyone(),
    ("POST", "/api/v1/channels"): admins(json=FEED),
    ("PATCH", "/api/v1/channels/{account_id}"): admins(json={"is_active": False}),
    ("DELETE", "/api/v1/channels/{account_id}"): admins(),
    ("GET", "/api/v1/channels/{account_id}/health"): everyone(),
    ("POST", "/api/v1/channels/{account_id}/test"): admins(),
    ("POST", "/api/v1/webhooks/generic/{source_id}"): public(json={"posts": []}),
    ("GET", "/api/v1/webhooks/x/{account_id}"): public(query={"crc_token": "abc"}),
    ("POST", "/api/v1/webhooks/x/{account_id}"): public(json={}),
    ("GET", "/api/v1/webhooks/facebook/{account_id}"): public(),
    ("POST", "/api/v1/webhooks/facebook/{account_id}"): public(json={}),
    ("GET", "/api/v1/webhooks/instagram/{account_id}"): public(),
    ("POST", "/api/v1/webhooks/instagram/{account_id}"): public(json={}),
    # -- the UI -------------------------------------------------------------------------------------
    ("GET", "/settings/password"): everyone(),
    ("POST", "/settings/password"): everyone(
        form={"current_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    ),
    ("GET", "/static/{name}"): public(objects={"name": "static"}),
    ("GET", "/favicon.ico"): public(),
    ("GET", "/login"): public(),
    ("POST", "/login"): public(form={"email": "nobody@acme.io", "password": "wrong"}),
    ("POST", "/logout"): public(form={}),
    ("GET", "/events"): everyone(),
    ("GET", "/"): everyone(),
    ("GET", "/inbox/rows"): everyone(),
    ("GET", UI_CONV): everyone(),
    ("GET", UI_CONV + "/live"): everyone(),
    ("POST", UI_CONV + "/reply"): everyone(form={"text": "Sorry!", "confirm_stale": "1"}),
    ("POST", UI_CONV + "/answered-elsewhere"): everyone(form={"via": "phone", "reference": "call 10:40"}),
    ("GET", UI_CONV + "/compose"): everyone(query={"text": "hi"}),
    ("GET", UI_CONV + "/saved-replies"): everyone(),
    ("GET", "/knowledge"): everyone(query={"state": "published", "q": "outage"}),
    ("GET", "/knowledge/new"): everyone(),
    ("POST", "/knowledge"): everyone(form={"title": "Refunds", "body": "How to get one."}),
    ("GET", "/knowledge/{article_id}"): everyone(),
    ("GET", "/knowledge/{article_id}/edit"): everyone(),
    # The world's article is published: only reviewers (admins, knowledge editors) edit or move it.
    ("POST", "/knowledge/{article_id}"): admins(form={"title": "Outages", "body": "Status page."}),
    ("POST", "/knowledge/{article_id}/transition"): admins(form={"transition": "archive"}),
    ("POST", UI_CONV + "/suggestions/{article_id}/insert"): everyone(form={"text": "Hi"}),
    ("GET", UI_CONV + "/unscripted"): everyone(query={"text": "Sorry!"}),
    ("POST", UI_CONV + "/follow-ups"): everyone(form={"due_at": "2099-01-01T09:00:00+00:00"}),
    ("POST", UI_CONV + "/notes"): everyone(form={"text": "checking"}),
    ("GET", UI_CONV + "/presence"): everyone(),
    ("POST", UI_CONV + "/presence"): everyone(form={"state": "viewing"}),
    ("POST", "/cases/{case_id}/assign"): everyone(form={"assignee": "me"}),
    ("POST", "/cases/{case_id}/priority"): everyone(form={"priority": "high"}),
    ("POST", "/cases/{case_id}/needs-reply"): everyone(form={"needs_reply": "false"}),
    ("POST", "/cases/{case_id}/status"): everyone(form={"status": "open"}),
    ("POST", "/messages/{message_id}/triage"): everyone(form={"field": "category", "label": "praise"}),
    ("POST", "/messages/{message_id}/save-as-answer"): everyone(form={}),
    ("POST", "/conversations/{conversation_id}/messages/{message_id}/moderate"): everyone(
        form={"action": "hide"}
    ),
    ("POST", "/queue/next"): everyone(form={}),
    ("POST", "/me/status"): everyone(form={"status": "away"}),
    ("POST", "/me/active"): everyone(form={}),
    ("GET", "/incidents"): everyone(),
    ("GET", "/incidents/{incident_id}"): everyone(),
    # The world's problem is confirmed: moving it back to suspected is a lead's command (admins call last).
    ("POST", "/incidents/{incident_id}/status"): leads(form={"status": "suspected"}),
    ("POST", "/incidents/{incident_id}/details"): everyone(form={"note": "on it"}),
    ("POST", "/incidents/{incident_id}/conversations"): everyone(form={"conversation": "1"}),
    ("POST", "/incidents/{incident_id}/conversations/{conversation_id}/remove"): everyone(form={}),
    ("GET", "/incidents/{incident_id}/answer"): everyone(),
    ("GET", "/incidents/{incident_id}/progress"): everyone(),
    ("POST", "/incidents/{incident_id}/answer"): leads(form={}),
    ("GET", "/approvals"): admins(),
    ("POST", "/approvals/{approval_id}/approve"): admins(form={}),
    ("POST", "/approvals/{approval_id}/return"): admins(form={"comment": "Softer, please"}),
    ("GET", "/settings/monitors"): everyone(),
    ("POST", "/settings/monitors"): admins(form={"name": "outage", "query": "internet"}),
    ("POST", "/settings/monitors/preview"): everyone(form={"query": "internet"}),
    ("GET", "/settings/monitors/{monitor_id}"): everyone(),
    ("POST", "/settings/monitors/{monitor_id}"): admins(form={"name": "brand", "query": "internet"}),
    ("POST", "/settings/monitors/{monitor_id}/active"): admins(form={"active": "false"}),
    ("POST", "/settings/monitors/{monitor_id}/delete"): admins(form={}),
    ("POST", "/settings/spam-rules"): admins(form={"kind": "term", "value": "internet"}),
    ("POST", "/settings/spam-rules/{rule_id}/delete"): admins(form={}, objects={"rule_id": "spam_rule"}),
    ("GET", "/settings/channels"): everyone(),
    ("POST", "/settings/channels/{account_id}"): admins(form={"action": "pause"}),
    ("GET", "/settings/saved-replies"): everyone(),
    ("POST", "/settings/saved-replies"): everyone(form={"title": "Thanks", "body": "Thank you!"}),
    ("POST", "/settings/saved-replies/{reply_id}"): admins(form={"title": "Hello", "body": "Hello!"}),
    ("POST", "/settings/saved-replies/{reply_id}/delete"): admins(form={}),
    ("GET", "/notifications"): everyone(),
    ("POST", "/notifications/read"): everyone(form={}),
    ("GET", "/notifications/summary"): everyone(),
    ("POST", "/notifications/preferences"): everyone(form={"sound": "on"}),
    ("GET", "/mission"): everyone(),
    ("GET", "/mission/panels"): everyone(),
    ("GET", "/mission/wall"): everyone(),
    ("GET", "/admin/dead-letters"): admins(),
    ("GET", "/invite/{workspace_id}/{token}"): public(
        objects={"workspace_id": "workspace", "token": "invite"}
    ),
    ("POST", "/invite/{workspace_id}/{token}"): public(
        form={"password": "long-enough-1", "confirm": "long-enough-1"},
        objects={"workspace_id": "workspace", "token": "invite"},
    ),
    ("GET", "/settings/users"): leads(),
    ("POST", "/settings/users"): admins(form={"email": "new@acme.io", "password": "long-enough-1"}),
    ("POST", "/settings/users/{user_id}"): leads(form={"capacity": "3", "active": "on"}),
    ("GET", "/settings/brands"): admins(),
    ("POST", "/settings/brands"): admins(form={"channel": "mastodon", "handle": "acme"}),
    ("POST", "/settings/brands/{brand_account_id}/remove"): admins(form={}),
    ("GET", "/settings/teams"): leads(),
    ("POST", "/settings/teams"): leads(form={"name": "Billing"}),
    ("POST", "/settings/teams/{team_id}"): leads(form={"strategy": "round_robin"}),
    ("POST", "/settings/teams/{team_id}/members"): leads(form={"user_id": "1"}),
    ("POST", "/settings/teams/{team_id}/members/{user_id}/delete"): leads(form={}),
    ("GET", "/settings/routing"): leads(query={"text": "refund"}),
    ("GET", "/settings/routing/preview"): leads(query={"text": "refund"}),
    ("POST", "/settings/routing"): leads(form={"name": "refunds", "text_any": "refund"}),
    ("POST", "/settings/routing/{rule_id}/delete"): leads(form={}, objects={"rule_id": "routing_rule"}),
    ("GET", "/settings/sla"): leads(query={"start": "2026-01-09T16:30"}),
    ("POST", "/settings/sla"): leads(
        form={"first_response": "60", "next_response": "60", "resolution": "1440"}
    ),
    ("GET", "/settings/approvals"): leads(),
    ("POST", "/settings/approvals"): leads(form={"kind": "money"}),
    ("POST", "/settings/approvals/delete"): leads(form={"number": "1"}),
    ("POST", "/settings/approvals/teams/{team_id}"): leads(form={"approver": "1"}),
    ("GET", "/settings/macros"): leads(),
    ("POST", "/settings/macros"): leads(
        form={"name": "Refund", "body": "Refund sent.", "status": "resolved"}
    ),
    ("POST", "/settings/macros/{macro_id}/delete"): leads(form={}),
    ("POST", UI_CONV + "/macros/{macro_id}"): everyone(form={}),
    ("POST", UI_CONV + "/tags"): everyone(form={"tags": "billing, vip"}),
    ("POST", UI_CONV + "/snooze"): everyone(form={"snooze_for": "4"}),
    ("POST", UI_CONV + "/resolve-next"): everyone(form={}),
    ("POST", "/inbox/bulk"): everyone(form={"op": "tag", "tags": "billing", "ids": ["1"]}),
    ("POST", "/inbox/preferences"): everyone(form={"what": "compact", "compact": "on"}),
    ("POST", "/inbox/views"): everyone(form={"name": "Mine", "spec": "view=mine"}),
    ("GET", "/inbox/views/{view_id}"): everyone(),
    ("POST", "/inbox/views/{view_id}/delete"): everyone(form={}),
}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
PARAM = re.compile(r"{(\w+)(?::\w+)?}")
Response = Any  # what TestClient answers (an httpx or httpx2 response, depending on the install)


def served_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every route the app serves (HEAD aside: it rides along with GET)."""
    return {
        (method, str(route.path))
        for route in iter_route_contexts(app.routes)
        for method in route.methods or ()
        if method != "HEAD"
    }


# -- the checks --------------------------------------------------------------------------------------


def test_every_route_is_declared_and_every_row_is_a_route(client: TestClient) -> None:
    assert isinstance(client.app, FastAPI)
    served = served_routes(client.app)
    missing = sorted(served - PERMISSIONS.keys())
    gone = sorted(PERMISSIONS.keys() - served)
    assert not missing, "routes without a declared permission (add them to PERMISSIONS): " + ", ".join(
        f"{m} {p}" for m, p in missing
    )
    assert not gone, "PERMISSIONS rows for routes the app no longer serves: " + ", ".join(
        f"{m} {p}" for m, p in gone
    )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("permissions"))


@pytest.fixture
def client(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    async def one_event(*_args: Any) -> AsyncIterator[str]:
        yield ": connected\n\n"  # the stream's access is under test, not its endlessness

    monkeypatch.setattr(events, "event_stream", one_event)
    # A probe would reach the network; the test asks only who may start one.
    monkeypatch.setattr(api_channels, "probe", lambda _c, _a: ProbeResult(True, "stub"))
    runtime = world.runtime(tmp_path)
    with TestClient(web_app.create_app(runtime), base_url="https://testserver") as c:
        yield c
    runtime.close()


def _resolve(value: Any, ws: Workspace, me: int) -> Any:
    if isinstance(value, Ref):
        return me if value.kind == "self" else ws.objects[value.kind]
    if isinstance(value, dict):
        return {k: _resolve(v, ws, me) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, ws, me) for v in value]
    return value


def _url(path: str, access: Access, ws: Workspace, me: int) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        kind = access.objects.get(name) or PARAMETER_KINDS.get(name)
        assert kind is not None, f"{path}: say in the row which kind of object {{{name}}} names"
        if kind == "static":
            return "app.css"
        return str(_resolve(Ref(kind), ws, me))

    return PARAM.sub(one, path)


def _call(
    client: TestClient,
    method: str,
    path: str,
    access: Access,
    ws: Workspace,
    role: str,
    *,
    mode: str = "bearer",  # bearer | session | session-without-csrf
    objects_of: Workspace | None = None,  # whose objects the request names (default: the caller's)
) -> Response:
    me = ws.people.get(role)
    owner = objects_of or ws
    my_id = (owner.people.get(role) or owner.people[ADMIN]).user.id
    headers: dict[str, str] = {}
    form = dict(access.form) if access.form is not None else None
    if me is not None and (mode != "bearer" or not path.startswith("/api/")):
        headers["Cookie"] = f"sd_session={me.session}"
        if mode != "session-without-csrf":
            headers["X-CSRF-Token"] = me.csrf
            if form is not None:
                form["csrf_token"] = me.csrf
    elif me is not None:
        headers["Authorization"] = f"Bearer {me.token}"
    return client.request(
        method,
        _url(path, access, owner, my_id),
        headers=headers,
        params=_resolve(dict(access.query), owner, my_id),
        json=_resolve(access.json, owner, my_id) if access.json is not None else None,
        data=form,
        follow_redirects=False,
    )


def outcome(answer: Response) -> str:
    code = answer.status_code
    to_login = 300 <= code < 400 and answer.headers.get("location", "").startswith("/login")
    if code == 401 or to_login:
        return LOGIN
    if code == 403:
        return FORBIDDEN
    if code < 500:
        return OK
    return f"a server error ({code})"


def _says(answer: Response) -> str:
    return f"{answer.status_code} {answer.text[:200]!r}"


ROUTES = sorted(PERMISSIONS)


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_route_answers_each_role_as_declared(
    client: TestClient, world: World, method: str, path: str
) -> None:
    access = PERMISSIONS[(method, path)]
    is_api = path.startswith("/api/")
    scoped = any(k != "static" for k in _kinds(path, access))
    if scoped and access.roles[ADMIN] == OK:  # another workspace's objects are not there
        answer = _call(client, method, path, access, world.mine, ADMIN, objects_of=world.theirs)
        assert answer.status_code == 404, f"{method} {path} with another workspace's ids: {_says(answer)}"
    if is_api and method in UNSAFE and access.roles[ADMIN] != PUBLIC:
        answer = _call(client, method, path, access, world.mine, ADMIN, mode="session-without-csrf")
        assert answer.status_code == 403, f"{method} {path} with a session but no CSRF token: {_says(answer)}"
    for role in ROLES:
        expected = access.roles[role]
        for mode in ("bearer", "session") if is_api and role != ANONYMOUS else ("bearer",):
            answer = _call(client, method, path, access, world.mine, role, mode=mode)
            got = outcome(answer)
            if expected == PUBLIC:
                assert answer.status_code < 500, f"{method} {path} as {role}: {_says(answer)}"
                continue
            assert got == expected, (
                f"{method} {path} as {role} ({mode}): expected {expected}, got {_says(answer)}"
            )


def _kinds(path: str, access: Access) -> list[str]:
    kinds = [access.objects.get(n) or PARAMETER_KINDS.get(n, n) for n in PARAM.findall(path)]
    kinds = [k for k in kinds if k != "self"] + (["self"] if "self" in kinds else [])

    def refs(value: Any) -> Iterator[str]:
        if isinstance(value, Ref) and value.kind != "self":
            yield value.kind
        elif isinstance(value, dict):
            for v in value.values():
                yield from refs(v)
        elif isinstance(value, list):
            for v in value:
                yield from refs(v)

    return kinds + [k for k in refs(access.json) if k] + list(refs(dict(access.query)))


def test_an_agent_in_training_may_reply_but_every_reply_waits(client: TestClient, world: World) -> None:
    """A trainee is an agent whose replies wait for an approver, whichever route sends them."""
    conv = world.mine.objects["conversation"]
    reply = PERMISSIONS[("POST", CONV + "/replies")]
    answer = _call(client, "POST", CONV + "/replies", reply, world.mine, TRAINEE)
    assert answer.status_code == 201 and answer.json()["delivery"] == "awaiting_approval", answer.text
    body = {"to": "dm", "message": "DM us your account number", "public_reply": "We sent you a DM"}
    handoff = _call(client, "POST", CONV + "/handoff", everyone(json=body), world.mine, TRAINEE)
    assert handoff.status_code == 200, handoff.text
    sent = handoff.json()
    assert [sent["public_reply"]["delivery"], sent["private_message"]["delivery"]] == [
        "awaiting_approval"
    ] * 2
    pending = client.get(
        "/api/v1/approvals", headers={"Authorization": f"Bearer {world.mine.people[ADMIN].token}"}
    )
    assert {a["conversation_id"] for a in pending.json()} == {conv}
    assert len(pending.json()) == 4  # the world's held reply and these three
