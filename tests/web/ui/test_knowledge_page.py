"""`/knowledge`: list, filter and search; write, edit and the review queue with the roles checked in
the actions; the version history and its changes; Markdown rendered safely against hostile input."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from socialdesk.actions.accounts import check_create_user
from socialdesk.domain.people import Role
from tests.web.ui.conftest import PASSWORD, UiWorld, login_client


def _new(client: TestClient, token: str, **fields: str) -> int:
    form = {"title": "Refunds", "body": "Five days.", "csrf_token": token, **fields}
    answer = client.post("/knowledge", data=form)
    assert answer.status_code == 303, answer.text
    found = re.fullmatch(r"/knowledge/(\d+)", answer.headers["location"])
    assert found
    return int(found.group(1))


def _move(client: TestClient, token: str, article: int, move: str, note: str = "") -> int:
    data = {"transition": move, "note": note, "csrf_token": token}
    return client.post(f"/knowledge/{article}/transition", data=data).status_code


@pytest.fixture
def editor(ui_world: UiWorld) -> Iterator[tuple[TestClient, str]]:
    with ui_world.runtime.uow() as uow:
        check_create_user(
            uow, ui_world.ada.workspace_id, "k@x.io", "Kim Editor", PASSWORD, Role.KNOWLEDGE_EDITOR
        )
    client, token = login_client(ui_world.app, "k@x.io")
    with client:
        yield client, token


@pytest.fixture
def agent(ui_world: UiWorld) -> Iterator[tuple[TestClient, str]]:
    client, token = login_client(ui_world.app, "c@x.io")  # Carl, an agent
    with client:
        yield client, token


def test_agent_drafts_and_submits_only_a_reviewer_sends_back_with_a_note_and_approves(
    agent: tuple[TestClient, str], editor: tuple[TestClient, str]
) -> None:
    carl, carl_token = agent
    kim, kim_token = editor
    article = _new(carl, carl_token, questions="where is my refund\n\nhow long do refunds take")
    page = carl.get(f"/knowledge/{article}").text
    assert "Submit for review" in page and "Approve and publish" not in page
    assert _move(carl, carl_token, article, "publish") == 403  # refused by the action, not the page
    assert _move(carl, carl_token, article, "submit") == 303
    assert "in_review" in kim.get("/knowledge?state=in_review").text
    assert "Review queue: 1 waiting" in kim.get("/knowledge").text
    assert _move(carl, carl_token, article, "approve") == 403
    assert _move(kim, kim_token, article, "reject", "Say which card the money goes back to.") == 303
    sent_back = carl.get(f"/knowledge/{article}").text
    assert "Sent back by the reviewer:" in sent_back and "Say which card the money goes back to." in sent_back
    edited = {"title": "Refunds", "body": "Five days, to the card you paid with.", "csrf_token": carl_token}
    assert carl.post(f"/knowledge/{article}", data=edited).status_code == 303
    assert _move(carl, carl_token, article, "submit") == 303
    assert _move(kim, kim_token, article, "approve") == 303
    published = carl.get(f"/knowledge/{article}").text
    assert "Published" in published and "Sent back" not in published
    # Published: the agent may no longer edit it.
    again = {"title": "Refunds", "body": "Changed by an agent", "csrf_token": carl_token}
    assert carl.post(f"/knowledge/{article}", data=again).status_code == 403
    assert _move(carl, carl_token, article, "archive") == 403
    assert _move(kim, kim_token, article, "archive") == 303
    assert _move(kim, kim_token, article, "bogus") == 422
    assert _move(kim, kim_token, article, "approve") == 409  # archived: not in review


def test_history_shows_each_version_and_what_changed(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    article = _new(client, token, body="Line one\nLine two", tags="billing")
    data = {"title": "Refunds and returns", "body": "Line one\nLine 2", "tags": "billing, returns"}
    assert client.post(f"/knowledge/{article}", data={**data, "csrf_token": token}).status_code == 303
    page = client.get(f"/knowledge/{article}").text
    assert "Version 2" in page and "Version 1" in page and "?diff=2" in page
    diff = client.get(f"/knowledge/{article}", params={"diff": 2}).text
    assert "Version 1 → 2" in diff
    assert "<del>- Line two</del>" in diff and "<ins>+ Line 2</ins>" in diff
    assert "<del>Refunds</del>" in diff and "<ins>Refunds and returns</ins>" in diff
    assert "<ins>billing; returns</ins>" in diff


def test_list_filters_by_state_and_searches_across_case_and_accents(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    _new(client, token, title="Échec de paiement", body="Réessayez.", language="fr")
    _new(client, token, title="Password reset", body="Use the link.")
    found = client.get("/knowledge", params={"q": "ECHEC"}).text
    assert "Échec de paiement" in found and "Password reset" not in found
    none = client.get("/knowledge", params={"q": "echec", "state": "published"}).text
    assert "No articles match “echec” in published" in none
    assert "Draft (2)" in client.get("/knowledge").text


def test_refused_form_keeps_what_was_typed_and_says_why(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    answer = client.post("/knowledge", data={"title": " ", "body": "kept text", "csrf_token": token})
    assert answer.status_code == 422
    assert "Not saved: title: must not be empty." in answer.text
    assert ">kept text</textarea>" in answer.text


def test_changes_need_the_csrf_token(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    assert client.post("/knowledge", data={"title": "No token", "body": "x"}).status_code == 403
    article = _new(client, token)
    assert client.post(f"/knowledge/{article}/transition", data={"transition": "submit"}).status_code == 403


HOSTILE = """<script>alert(1)</script>
[click](javascript:alert(1)) [also](JAVASCRIPT:alert(2)) [enc](jav&#x61;script:alert(3))
[data](data:text/html,<script>alert(4)</script>) <img src=x onerror=alert(5)>
<a href="javascript:alert(6)">raw</a> ![pixel](https://tracker.example/p.gif)
[fine](https://help.example/a_b?x=1&y=2) [mail](mailto:help@example.com)
"""


def test_hostile_markdown_is_shown_as_text(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    article = _new(client, token, title="<b>Title</b>", body=HOSTILE)
    page = client.get(f"/knowledge/{article}").text
    body = page[page.index('aria-label="The answer"') :]
    assert "<script>alert" not in page and "<img" not in body and "<b>Title</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    hrefs = re.findall(r'href="([^"]*)"', body)
    assert all(h.startswith(("https://", "mailto:", "/knowledge")) for h in hrefs), hrefs
    assert 'href="https://help.example/a_b?x=1&amp;y=2" rel="nofollow noopener noreferrer"' in body
    assert "javascript:" not in "".join(hrefs) and "data:" not in "".join(hrefs)
    assert "onerror" not in re.sub(r"&lt;.*?&gt;", "", body)  # only as escaped text


def test_a_huge_body_is_refused_with_its_limit_and_a_large_one_renders(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    huge = client.post("/knowledge", data={"title": "Big", "body": "x" * 50_001, "csrf_token": token})
    assert huge.status_code == 422 and "body: longer than 50000 characters" in huge.text
    article = _new(client, token, title="Brackets", body="[" * 20_000 + "*" * 20_000)
    assert client.get(f"/knowledge/{article}").status_code == 200


def test_another_workspace_s_article_is_not_found(ui_world: UiWorld, agent: tuple[TestClient, str]) -> None:
    client, token = agent
    article = _new(client, token)
    other, _ = login_client(ui_world.app, "b@y.io", "correct-horse-2")
    with other:
        assert other.get(f"/knowledge/{article}").status_code == 404
        assert other.get(f"/knowledge/{article}/edit").status_code == 404
