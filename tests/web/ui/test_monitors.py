"""The monitors settings page: list, add (errors with their column), preview, spam rules, admins only."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from socialdesk.actions.listening.monitors import check_create_monitor, list_monitors
from socialdesk.actions.listening.rules import check_add_spam_rule
from socialdesk.domain.people import Role
from socialdesk.triage import Triager
from tests.web.ui.conftest import PASSWORD, LoginFn, UiWorld, session_token, ui_post
from tests.web.ui.test_inbox import HOSTILE_ATTR, HOSTILE_TEXT

PAGE = "/settings/monitors"
HTMX = {"HX-Request": "true"}


def _form(**fields: str) -> dict[str, str]:
    return {
        "name": "Acme care",
        "query": "acme AND (router OR wifi)",
        "kind": "brand",
        "mode": "care",
        "exclude_authors": "",
        "exclude_terms": "",
        **fields,
    }


def _monitor_names(ui_world: UiWorld) -> list[str]:
    with ui_world.runtime.uow() as uow:
        return [m.monitor.name for m in list_monitors(uow, ui_world.ada)]


def _add_monitor(
    ui_world: UiWorld,
    name: str,
    query: str,
    kind: str = "brand",
    mode: str = "care",
    exclude_authors: tuple[str, ...] = (),
    exclude_terms: tuple[str, ...] = (),
) -> None:
    with ui_world.runtime.uow() as uow:
        check_create_monitor(
            uow,
            ui_world.ada,
            name=name,
            query=query,
            kind=kind,
            mode=mode,
            exclude_authors=exclude_authors,
            exclude_terms=exclude_terms,
            now=ui_world.runtime.clock.now(),
        )
        uow.commit()


def _spam_rules(ui_world: UiWorld) -> list[tuple[str, str]]:
    with ui_world.runtime.uow() as uow:
        return [(r.kind.value, r.value) for r in uow.rules.spam_rules(ui_world.ada.workspace_id)]


def test_page_lists_monitors_with_kind_mode_exclusions_and_matches(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, ui_triager: Triager
) -> None:
    _add_monitor(ui_world, "Acme care", "acme", exclude_authors=("spambot",), exclude_terms=("giveaway",))
    _add_monitor(ui_world, "Rival watch", "rivalco", kind="competitor", mode="listening")
    ws = ui_world.ada.workspace_id
    ui_world.ingest_triaged(
        ui_triager,
        ws,
        ui_post("1", "acme router is down again", minutes_ago=9),
        ui_post("2", "acme wifi slow", minutes_ago=8),
        ui_post("3", "rivalco is better", minutes_ago=7),
    )
    page = ui_client.get(PAGE)
    assert page.status_code == 200
    assert '<a href="/settings/monitors" aria-current="page">Monitors</a>' in page.text
    rows = re.findall(r"<tr>(.*?)</tr>", page.text, re.S)[1:]
    acme, rival = sorted(rows, key=lambda row: "Rival" in row)
    assert "Acme care" in acme and "Brand" in acme and "Care" in acme and "<code>acme</code>" in acme
    assert "@spambot" in acme and "giveaway" in acme
    assert re.search(r'class="num">2</td>', acme)
    assert "Competitor" in rival and "Listening" in rival and re.search(r'class="num">1</td>', rival)
    assert 'id="monitor-form"' in page.text  # Ada is an admin


def test_admin_adds_a_monitor(ui_client: TestClient, ui_agent: str, ui_world: UiWorld) -> None:
    data = _form(
        kind="competitor", mode="listening", exclude_authors="@bot1, bot2 ,,", exclude_terms="job, hiring"
    )
    answer = ui_client.post(PAGE, data={**data, "csrf_token": ui_agent})
    assert answer.status_code == 303
    assert answer.headers["location"] == PAGE
    with ui_world.runtime.uow() as uow:
        [saved] = [m.monitor for m in list_monitors(uow, ui_world.ada)]
    assert (saved.name, saved.query, saved.kind.value, saved.mode.value) == (
        "Acme care", "acme AND (router OR wifi)", "competitor", "listening"
    )  # fmt: skip
    assert saved.exclude_authors == ("bot1", "bot2")
    assert saved.exclude_terms == ("job", "hiring")
    assert "acme AND (router OR wifi)" in ui_client.get(PAGE).text


def test_bad_query_shows_its_column_next_to_the_field_and_keeps_the_values(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    data = _form(
        name="Outages",
        query="acme AND (router",
        kind="product",
        mode="listening",
        exclude_authors="bot1, bot2",
        exclude_terms="giveaway",
    )
    answer = ui_client.post(PAGE, data={**data, "csrf_token": ui_agent})
    assert answer.status_code == 422
    html = answer.text
    error = re.search(r'<p id="m-query-error" class="field-error">([^<]*)</p>', html)
    assert error and "unbalanced parenthesis at column 10" in error.group(1)
    assert 'aria-describedby="m-query-help m-query-error"' in html
    assert 'aria-invalid="true">acme AND (router</textarea>' in html
    assert "acme AND (router\n         ^</pre>" in html  # a caret under column 10
    assert 'value="Outages"' in html
    assert '<option value="product" selected>' in html
    assert 'value="listening" checked' in html
    assert 'value="bot1, bot2"' in html
    assert 'value="giveaway"' in html
    assert _monitor_names(ui_world) == []


def test_duplicate_name_is_shown_at_the_name(ui_client: TestClient, ui_agent: str, ui_world: UiWorld) -> None:
    _add_monitor(ui_world, "Acme care", "acme")
    answer = ui_client.post(PAGE, data={**_form(), "csrf_token": ui_agent})
    assert answer.status_code == 422
    assert re.search(r'<p id="m-name-error" class="field-error">[^<]*already exists', answer.text)
    assert 'id="m-query-error"' not in answer.text
    assert _monitor_names(ui_world) == ["Acme care"]


def test_preview_shows_the_newest_matching_posts(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, ui_triager: Triager
) -> None:
    ws = ui_world.ada.workspace_id
    ui_world.ingest_triaged(
        ui_triager,
        ws,
        ui_post("1", "acme router down, call +1 415 555 0199", minutes_ago=20),
        ui_post("2", "acme wifi is slow", minutes_ago=10),
        ui_post("3", "the weather is nice", minutes_ago=5),
    )
    ui_world.ingest(ui_world.bob.workspace_id, ui_post("9", "acme router in beta", minutes_ago=1))
    data = {**_form(query="acme (router OR wifi)"), "csrf_token": ui_agent}
    htmx = ui_client.post(f"{PAGE}/preview", data=data, headers=HTMX)
    assert htmx.status_code == 200
    assert "<html" not in htmx.text
    assert "2 of the 2,000 newest stored posts match" in htmx.text
    assert htmx.text.index("acme wifi is slow") < htmx.text.index("acme router down")  # newest first
    assert "the weather" not in htmx.text
    assert "in beta" not in htmx.text  # another workspace's posts are never scanned
    assert "415 555 0199" not in htmx.text  # private data is masked in the preview too
    assert _monitor_names(ui_world) == []  # a preview saves nothing
    # Without JavaScript the button posts the form there and gets the page back, values kept.
    plain = ui_client.post(f"{PAGE}/preview", data={**data, "name": "Kept"})
    assert plain.status_code == 200
    assert "<html" in plain.text
    assert 'value="Kept"' in plain.text
    assert ">acme (router OR wifi)</textarea>" in plain.text
    assert "acme wifi is slow" in plain.text


def test_preview_of_a_bad_or_empty_query_says_why(ui_client: TestClient, ui_agent: str) -> None:
    bad = ui_client.post(f"{PAGE}/preview", data={"query": "acme OR", "csrf_token": ui_agent}, headers=HTMX)
    assert bad.status_code == 422
    assert "Not a valid query: OR needs something after it at column 6." in bad.text
    assert "acme OR\n     ^</pre>" in bad.text
    empty = ui_client.post(f"{PAGE}/preview", data={"query": "  ", "csrf_token": ui_agent}, headers=HTMX)
    assert empty.status_code == 422
    assert "Type a query to preview it." in empty.text


def test_agents_see_the_page_but_only_admins_change_it(
    ui_client: TestClient, ui_login: LoginFn, ui_world: UiWorld, ui_agent: str
) -> None:
    ui_client.post(
        "/settings/spam-rules", data={"kind": "term", "value": "free crypto", "csrf_token": ui_agent}
    )
    ui_client.cookies.clear()
    assert ui_login("c@x.io", PASSWORD).status_code == 303
    page = ui_client.get(PAGE)
    assert page.status_code == 200
    carl = session_token(page.text)
    assert "free crypto" in page.text
    assert 'id="monitor-form"' not in page.text
    assert 'action="/settings/spam-rules"' not in page.text
    assert "/delete" not in page.text
    assert "Only an admin of this workspace can add monitors." in page.text
    create = ui_client.post(PAGE, data={**_form(), "csrf_token": carl})
    assert create.status_code == 403
    assert "Not allowed: only admins create monitors." in create.text
    add = ui_client.post("/settings/spam-rules", data={"kind": "term", "value": "x", "csrf_token": carl})
    assert add.status_code == 403
    rule_id = _rule_id(ui_world)
    delete = ui_client.post(f"/settings/spam-rules/{rule_id}/delete", data={"csrf_token": carl})
    assert delete.status_code == 403
    assert _monitor_names(ui_world) == []
    assert _spam_rules(ui_world) == [("term", "free crypto")]
    # Previewing changes nothing, so agents may do it.
    assert ui_client.post(f"{PAGE}/preview", data={"query": "acme", "csrf_token": carl}).status_code == 200


def _rule_id(ui_world: UiWorld) -> int:
    with ui_world.runtime.uow() as uow:
        return uow.rules.spam_rules(ui_world.ada.workspace_id)[0].id


def test_spam_rules_add_and_delete(ui_client: TestClient, ui_agent: str, ui_world: UiWorld) -> None:
    plain = ui_client.post(
        "/settings/spam-rules", data={"kind": "author", "value": "@bot9", "csrf_token": ui_agent}
    )
    assert plain.status_code == 303
    assert plain.headers["location"] == f"{PAGE}#spam-rules"
    assert "@bot9" in ui_client.get(PAGE).text
    htmx = ui_client.post(
        "/settings/spam-rules",
        data={"kind": "link", "value": "spam.example"},
        headers={**HTMX, "X-CSRF-Token": ui_agent},
    )
    assert htmx.status_code == 200
    assert htmx.text.startswith('<section id="spam-rules"')
    assert "spam.example" in htmx.text
    assert _spam_rules(ui_world) == [("author", "bot9"), ("link", "spam.example")]
    again = ui_client.post(
        "/settings/spam-rules", data={"kind": "link", "value": "SPAM.example", "csrf_token": ui_agent}
    )
    assert again.status_code == 422
    assert "Not added: spam rule link:SPAM.example already exists." in again.text
    assert 'value="SPAM.example"' in again.text  # the typed value is kept
    bad_kind = ui_client.post(
        "/settings/spam-rules",
        data={"kind": "regex", "value": ".*"},
        headers={**HTMX, "X-CSRF-Token": ui_agent},
    )
    assert bad_kind.status_code == 422
    assert "spam rule kind" in bad_kind.text
    rule_id = _rule_id(ui_world)
    deleted = ui_client.post(
        f"/settings/spam-rules/{rule_id}/delete", headers={**HTMX, "X-CSRF-Token": ui_agent}
    )
    assert deleted.status_code == 200
    assert "@bot9" not in deleted.text
    assert _spam_rules(ui_world) == [("link", "spam.example")]
    gone = ui_client.post(f"/settings/spam-rules/{rule_id}/delete", data={"csrf_token": ui_agent})
    assert gone.status_code == 404


def test_spam_rules_of_another_workspace_are_not_there(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld
) -> None:
    with ui_world.runtime.uow() as uow:
        beta_admin = replace(ui_world.bob, role=Role.ADMIN)  # the rule is set up by beta's admin
        theirs = check_add_spam_rule(uow, beta_admin, "term", "beta only", ui_world.runtime.clock.now())
        uow.commit()
    assert "beta only" not in ui_client.get(PAGE).text
    answer = ui_client.post(f"/settings/spam-rules/{theirs.id}/delete", data={"csrf_token": ui_agent})
    assert answer.status_code == 404
    with ui_world.runtime.uow() as uow:
        assert [r.value for r in uow.rules.spam_rules(ui_world.bob.workspace_id)] == ["beta only"]


@pytest.mark.parametrize("csrf", [None, "", "not-the-token"])
def test_changes_without_the_csrf_token_are_forbidden(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, csrf: str | None
) -> None:
    ui_client.post("/settings/spam-rules", data={"kind": "term", "value": "win", "csrf_token": ui_agent})
    rule_id = _rule_id(ui_world)
    extra = {} if csrf is None else {"csrf_token": csrf}
    headers = {} if csrf is None else {"X-CSRF-Token": csrf}
    for path, data in (
        (PAGE, _form()),
        (f"{PAGE}/preview", _form()),
        ("/settings/spam-rules", {"kind": "term", "value": "lose"}),
        (f"/settings/spam-rules/{rule_id}/delete", {}),
    ):
        assert ui_client.post(path, data={**data, **extra}, headers=headers).status_code == 403, path
    assert _monitor_names(ui_world) == []
    assert _spam_rules(ui_world) == [("term", "win")]


def test_hostile_names_queries_and_posts_are_escaped(
    ui_client: TestClient, ui_agent: str, ui_world: UiWorld, ui_triager: Triager
) -> None:
    _add_monitor(
        ui_world, HOSTILE_TEXT + HOSTILE_ATTR, "<script>alert(1)</script>", exclude_terms=(HOSTILE_ATTR,)
    )
    ui_client.post(
        "/settings/spam-rules", data={"kind": "term", "value": HOSTILE_TEXT, "csrf_token": ui_agent}
    )
    ui_world.ingest_triaged(
        ui_triager, ui_world.ada.workspace_id, ui_post("1", f"{HOSTILE_TEXT} {HOSTILE_ATTR}", minutes_ago=3)
    )
    bad = ui_client.post(
        PAGE, data={**_form(name=HOSTILE_ATTR, query=f'"{HOSTILE_ATTR}'), "csrf_token": ui_agent}
    )
    assert bad.status_code == 422
    preview = ui_client.post(
        f"{PAGE}/preview", data={"query": "script alert", "csrf_token": ui_agent}, headers=HTMX
    )
    assert "1 of the" in preview.text
    for html in (ui_client.get(PAGE).text, bad.text, preview.text):
        assert "<script>alert" not in html
        assert "<img" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in bad.text


def test_settings_page_has_no_inline_script_or_style(ui_client: TestClient, ui_agent: str) -> None:
    page = ui_client.get(PAGE)
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    assert "<style" not in page.text
    assert " style=" not in page.text
    assert all(" src=" in tag for tag in re.findall(r"<script[^>]*>", page.text))
    assert '<label for="m-query">' in page.text


def test_logged_out_visitors_are_sent_to_login(ui_client: TestClient) -> None:
    answer = ui_client.get(PAGE)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/settings/monitors"
