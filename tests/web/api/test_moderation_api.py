"""Hide, show again and delete a customer's Facebook comment from its conversation (Graph on a fake)."""

from __future__ import annotations

from typing import Any

import httpx

from socialdesk.channels.connect import Connector
from socialdesk.channels.meta.webhook import sign
from tests.channels.support import raw
from tests.web.api.test_channels_api import KEY, Api
from tests.web.api.test_channels_api import api as api
from tests.web.api.test_meta_webhooks_api import APP_SECRET, HEADER, PAGE_TOKEN, facebook_body

COMMENT = "889900112233_551122334455"


class FakeGraph:
    def __init__(self, token: str = PAGE_TOKEN) -> None:
        self.token = token
        self.calls: list[tuple[str, str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            error = {"message": "Error validating access token", "type": "OAuthException", "code": 190}
            return httpx.Response(400, json={"error": error})
        self.calls.append((request.method, request.url.path, request.content.decode()))
        return httpx.Response(200, json={"success": True})


def page_comment(api: Api, graph: FakeGraph) -> tuple[int, int, int]:
    """(conversation id, the customer's first comment's message id, the Page's account id)."""
    api.runtime.connector = Connector(KEY, transport=httpx.MockTransport(graph), clock=api.runtime.clock)
    source = api.add(facebook_body())
    api.runtime.use_channel_senders()
    body = raw("meta", "page_feed_comments.json")
    url = f"/api/v1/webhooks/facebook/{source['id']}"
    assert api.client.post(url, content=body, headers={HEADER: sign(body, APP_SECRET)}).status_code == 200
    [conv] = api.client.get("/api/v1/conversations", headers=api.admin).json()["items"]
    detail = api.client.get(f"/api/v1/conversations/{conv['id']}", headers=api.admin).json()
    [message] = [m for m in detail["messages"] if m["external_id"] == COMMENT]
    return conv["id"], message["id"], int(str(source["id"]))


def moderate(api: Api, conv: int, message: int, action: str, headers: dict[str, str]) -> Any:
    url = f"/api/v1/conversations/{conv}/messages/{message}/moderate"
    return api.client.post(url, json={"action": action}, headers=headers)


def test_an_agent_hides_and_shows_a_comment_and_an_admin_deletes_it(api: Api) -> None:
    graph = FakeGraph()
    conv, message, _ = page_comment(api, graph)
    hidden = moderate(api, conv, message, "hide", api.agent)
    assert hidden.status_code == 200, hidden.text
    assert graph.calls == [("POST", f"/v19.0/{COMMENT}", "is_hidden=true")]
    assert moderate(api, conv, message, "unhide", api.agent).status_code == 200
    assert graph.calls[-1] == ("POST", f"/v19.0/{COMMENT}", "is_hidden=false")

    refused = moderate(api, conv, message, "delete", api.agent)
    assert refused.status_code == 403
    assert "hide it instead" in refused.json()["detail"]
    assert len(graph.calls) == 2  # the network was not asked
    assert moderate(api, conv, message, "delete", api.admin).status_code == 200
    assert graph.calls[-1][:2] == ("DELETE", f"/v19.0/{COMMENT}")
    audit = api.client.get("/api/v1/audit.csv", headers=api.admin)
    assert audit.status_code == 200, audit.text
    assert [a for a in ("comment.hide", "comment.unhide", "comment.delete") if a not in audit.text] == []


def test_another_workspace_cannot_touch_the_comment_and_a_revoked_token_says_so(api: Api) -> None:
    graph = FakeGraph()
    conv, message, _ = page_comment(api, graph)
    assert moderate(api, conv, message, "hide", api.other).status_code == 404
    assert graph.calls == []
    graph.token = "a-newer-token"
    revoked = moderate(api, conv, message, "hide", api.agent)
    assert revoked.status_code == 502
    assert "needs re-authorisation" in revoked.json()["detail"]
    assert PAGE_TOKEN not in revoked.text


def test_the_conversation_page_hides_and_deletes_a_comment_with_its_buttons(api: Api) -> None:
    """Issue 22 item 1: hide or delete a comment from the conversation (the page's buttons, no script)."""
    from tests.web.ui.conftest import login_client

    graph = FakeGraph()
    conv, message, _ = page_comment(api, graph)
    app = api.client.app
    agent, agent_token = login_client(app, "eve@acme.io", "correct-horse-3")  # type: ignore[arg-type]
    page = agent.get(f"/conversations/{conv}").text
    action = f'action="/conversations/{conv}/messages/{message}/moderate"'
    assert action in page and 'value="hide"' in page and 'value="delete"' not in page  # agents hide only
    url = f"/conversations/{conv}/messages/{message}/moderate"
    done = agent.post(url, data={"action": "hide", "csrf_token": agent_token})
    assert done.status_code == 303 and done.headers["location"].endswith(f"#message-{message}")
    assert graph.calls == [("POST", f"/v19.0/{COMMENT}", "is_hidden=true")]
    refused = agent.post(url, data={"action": "delete", "csrf_token": agent_token})
    assert refused.status_code == 403 and "hide it instead" in refused.text
    assert agent.post(url, data={"action": "hide"}).status_code == 403  # no CSRF token
    assert len(graph.calls) == 1
    admin, admin_token = login_client(app, "ada@acme.io", "correct-horse-1")  # type: ignore[arg-type]
    assert 'value="delete"' in admin.get(f"/conversations/{conv}").text
    assert admin.post(url, data={"action": "delete", "csrf_token": admin_token}).status_code == 303
    assert graph.calls[-1][:2] == ("DELETE", f"/v19.0/{COMMENT}")
