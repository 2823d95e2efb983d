"""Managing monitors and saved replies in the browser (issue #15, item 9): an admin edits, pauses,
resumes and deletes a monitor from /settings/monitors; agents see it but may not change it; saved
replies are edited and deleted from /settings/saved-replies; inbox search finds a customer by handle."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.care.saved_replies import check_add_saved_reply
from socialdesk.actions.listening.monitors import MonitorWithCount, check_create_monitor, list_monitors
from tests.web.ui.conftest import UiWorld, login_client, ui_post

PAGE = "/settings/monitors"


def _monitor(ui_world: UiWorld, name: str = "Acme care", query: str = "acme") -> int:
    with ui_world.runtime.uow() as uow:
        m = check_create_monitor(uow, ui_world.ada, name=name, query=query, now=ui_world.runtime.clock.now())
        uow.commit()
    return m.id


def _state(ui_world: UiWorld) -> dict[str, tuple[str, bool]]:
    with ui_world.runtime.uow() as uow:
        return {
            f.monitor.name: (f.monitor.query, f.monitor.is_active) for f in list_monitors(uow, ui_world.ada)
        }


def _fields(**extra: str) -> dict[str, str]:
    return {"name": "Acme care", "query": "acme OR acmecares", "kind": "brand", "mode": "care", **extra}


def test_admin_edits_pauses_resumes_and_deletes_a_monitor(ui_world: UiWorld) -> None:
    mid = _monitor(ui_world)
    ada, token = login_client(ui_world.app, "a@x.io")
    listing = ada.get(PAGE).text
    assert f'href="/settings/monitors/{mid}"' in listing
    assert f'action="/settings/monitors/{mid}/active"' in listing
    form = ada.get(f"{PAGE}/{mid}").text
    assert 'value="Acme care"' in form and ">acme</textarea>" in form

    bad = ada.post(f"{PAGE}/{mid}", data={**_fields(query="(acme OR"), "csrf_token": token})
    assert bad.status_code == 422
    assert "Not saved:" in bad.text and "column" in bad.text
    assert ">(acme OR</textarea>" in bad.text  # the typed query comes back
    saved = ada.post(f"{PAGE}/{mid}", data={**_fields(), "csrf_token": token})
    assert saved.status_code == 303 and saved.headers["location"] == PAGE
    assert _state(ui_world) == {"Acme care": ("acme OR acmecares", True)}

    assert ada.post(f"{PAGE}/{mid}/active", data={"active": "false", "csrf_token": token}).status_code == 303
    assert _state(ui_world) == {"Acme care": ("acme OR acmecares", False)}
    assert re.search(r"Acme care <span class=\"tag\">paused</span>", ada.get(PAGE).text)
    assert ada.post(f"{PAGE}/{mid}/active", data={"active": "true", "csrf_token": token}).status_code == 303
    assert _state(ui_world) == {"Acme care": ("acme OR acmecares", True)}

    assert ada.post(f"{PAGE}/{mid}/delete", data={}).status_code == 403  # no CSRF token
    assert ada.post(f"{PAGE}/{mid}/delete", data={"csrf_token": token}).status_code == 303
    assert _state(ui_world) == {}
    assert ada.get(f"{PAGE}/{mid}").status_code == 404


def test_admin_sets_a_monitors_brand_on_the_add_and_edit_forms(ui_world: UiWorld) -> None:
    with ui_world.runtime.uow() as uow:
        ws = ui_world.ada.workspace_id
        air = check_add_brand_account(uow, ws, "x", "SkyWaysAir").id
        net = check_add_brand_account(uow, ws, "x", "NetLinkHelp").id
        uow.commit()
    ada, token = login_client(ui_world.app, "a@x.io")
    assert "@SkyWaysAir (x, id" in ada.get(PAGE).text  # the choices are named under the field
    added = ada.post(PAGE, data={**_fields(brands="@skywaysair"), "csrf_token": token})
    assert added.status_code == 303, added.text
    [mid] = [m.monitor.id for m in _listed(ui_world)]
    assert _brands(ui_world) == (air,)
    assert re.search(
        r'<td class="cell-brands">@SkyWaysAir <span class="meta">\(x\)</span>', ada.get(PAGE).text
    )
    assert 'name="brands" type="text" value="SkyWaysAir"' in ada.get(f"{PAGE}/{mid}").text

    both = ada.post(f"{PAGE}/{mid}", data={**_fields(brands="SkyWaysAir, NetLinkHelp"), "csrf_token": token})
    assert both.status_code == 422 and 'id="m-brands-error"' in both.text
    assert "at most one account per network" in both.text
    assert 'value="SkyWaysAir, NetLinkHelp"' in both.text  # the typed value comes back
    nobody = ada.post(f"{PAGE}/{mid}", data={**_fields(brands="Nobody"), "csrf_token": token})
    assert nobody.status_code == 422 and "Nobody" in nobody.text and 'id="m-brands-error"' in nobody.text
    saved = ada.post(f"{PAGE}/{mid}", data={**_fields(brands=str(net)), "csrf_token": token})
    assert saved.status_code == 303 and _brands(ui_world) == (net,)
    assert ada.post(f"{PAGE}/{mid}", data={**_fields(), "csrf_token": token}).status_code == 303
    assert _brands(ui_world) == ()


def _listed(ui_world: UiWorld) -> list[MonitorWithCount]:
    with ui_world.runtime.uow() as uow:
        return list_monitors(uow, ui_world.ada)


def _brands(ui_world: UiWorld) -> tuple[int, ...]:
    [found] = _listed(ui_world)
    return found.monitor.brand_account_ids


def test_agents_see_a_monitor_but_cannot_change_it(ui_world: UiWorld) -> None:
    mid = _monitor(ui_world)
    carl, token = login_client(ui_world.app, "c@x.io")
    assert f'href="/settings/monitors/{mid}"' not in carl.get(PAGE).text
    page = carl.get(f"{PAGE}/{mid}")
    assert page.status_code == 200
    assert "Only an admin of this workspace can change monitors." in page.text
    assert "/delete" not in page.text and 'id="monitor-form"' not in page.text
    for path, data in (
        (f"{PAGE}/{mid}", _fields(query="x")),
        (f"{PAGE}/{mid}/active", {"active": "false"}),
        (f"{PAGE}/{mid}/delete", {}),
    ):
        answer = carl.post(path, data={**data, "csrf_token": token})
        assert answer.status_code == 403, path
        assert "Not allowed: only admins" in answer.text
    assert _state(ui_world) == {"Acme care": ("acme", True)}
    bob, _ = login_client(ui_world.app, "b@y.io", password="correct-horse-2")
    assert bob.get(f"{PAGE}/{mid}").status_code == 404  # another workspace's monitor


def test_saved_replies_are_edited_and_deleted_from_their_page(ui_world: UiWorld) -> None:
    with ui_world.runtime.uow() as uow:
        now = ui_world.runtime.clock.now()
        mine = check_add_saved_reply(
            uow, ui_world.carl, "Mine", "Hi {{customer.name}}", "personal", None, now
        )
        shared = check_add_saved_reply(uow, ui_world.ada, "Shared", "Hello", "workspace", None, now)
        uow.commit()
    carl, token = login_client(ui_world.app, "c@x.io")
    page = carl.get("/settings/saved-replies").text
    assert f'action="/settings/saved-replies/{mine.id}"' in page
    assert f'action="/settings/saved-replies/{shared.id}"' not in page  # everyone's: the admins'
    empty = carl.post(
        f"/settings/saved-replies/{mine.id}", data={"title": "Mine", "body": " ", "csrf_token": token}
    )
    assert empty.status_code == 422 and "needs a title and a body" in empty.text
    done = carl.post(
        f"/settings/saved-replies/{mine.id}",
        data={"title": "Mine", "body": "Hey <b>you</b>", "csrf_token": token},
    )
    assert done.status_code == 303
    assert "Hey &lt;b&gt;you&lt;/b&gt;" in carl.get("/settings/saved-replies").text
    refused = carl.post(f"/settings/saved-replies/{shared.id}/delete", data={"csrf_token": token})
    assert refused.status_code == 403
    assert (
        carl.post(f"/settings/saved-replies/{mine.id}/delete", data={"csrf_token": token}).status_code == 303
    )
    page = carl.get("/settings/saved-replies").text
    assert "Hey &lt;b&gt;you" not in page and "Shared" in page
    ada, ada_token = login_client(ui_world.app, "a@x.io")
    assert f'action="/settings/saved-replies/{shared.id}"' in ada.get("/settings/saved-replies").text
    gone = ada.post(f"/settings/saved-replies/{shared.id}/delete", data={"csrf_token": ada_token})
    assert gone.status_code == 303


def test_inbox_search_finds_the_customer_by_handle_or_name(ui_world: UiWorld, ui_client: TestClient) -> None:
    ws = ui_world.ada.workspace_id
    ui_world.ingest(
        ws,
        ui_post("1", "my parcel never came", minutes_ago=5, handle="JaneDoe77", name="Jane Public"),
        ui_post("2", "wifi down", minutes_ago=4, handle="someone"),
    )
    ada, _ = login_client(ui_world.app, "a@x.io")
    for q in ("@JaneDoe77", "janedoe", "Jane Public"):
        rows = ada.get("/inbox/rows", params={"q": q}).text
        assert "JaneDoe77" in rows and "someone" not in rows, q
