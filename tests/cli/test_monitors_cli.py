"""`socialdesk monitors edit|pause|resume|delete` (issue #15, item 9): each change as an admin, audited
as the CLI; a monitor not there, or nothing to change, exits non-zero with a one-line reason."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from socialdesk.cli.main import app
from socialdesk.config import Settings
from socialdesk.runtime import build_runtime

runner = CliRunner()


def _run(sqlite_url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["monitors", *args, "--db", sqlite_url, "-w", "acme"])
    return result.exit_code, result.output


def _listed(sqlite_url: str) -> dict[str, dict[str, object]]:
    code, out = _run(sqlite_url, "list")
    assert code == 0, out
    return {m["name"]: m for m in map(json.loads, out.splitlines())}


def _audit_actions(sqlite_url: str) -> list[tuple[str, object, object]]:
    runtime = build_runtime(Settings(database_url=sqlite_url))
    try:
        with runtime.uow() as uow:
            ws = uow.workspaces.get_by_slug("acme")
            assert ws is not None
            entries = uow.audit.between(ws.id, None, None)
    finally:
        runtime.close()
    return [(e.action, e.data.get("before"), e.data.get("after")) for e in entries if "monitor" in e.action]


def test_edit_pause_resume_and_delete_a_monitor(sqlite_url: str) -> None:
    assert _run(sqlite_url, "add", "outage", "down", "--mode", "listening")[0] == 0
    code, out = _run(sqlite_url, "edit", "outage", "--name", "outages", "--query", "down OR outage")
    assert (code, out.strip()) == (0, "monitor 'outages' (brand, listening) saved")
    assert _listed(sqlite_url)["outages"]["query"] == "down OR outage"
    assert _run(sqlite_url, "pause", "outages") == (0, "monitor 'outages' paused\n")
    assert _listed(sqlite_url)["outages"]["active"] is False
    assert _run(sqlite_url, "resume", "outages") == (0, "monitor 'outages' resumed\n")
    assert _listed(sqlite_url)["outages"]["active"] is True
    assert _run(sqlite_url, "delete", "outages") == (0, "monitor 'outages' deleted\n")
    assert _listed(sqlite_url) == {}
    actions = _audit_actions(sqlite_url)
    assert [a for a, _, _ in actions] == [
        "monitor_created", "monitor_changed", "monitor_paused", "monitor_resumed", "monitor_deleted",
    ]  # fmt: skip
    assert actions[1][1:] == (
        {"name": "outage", "query": "down"},
        {"name": "outages", "query": "down OR outage"},
    )


def test_refusals_say_why_on_one_line(sqlite_url: str) -> None:
    assert _run(sqlite_url, "add", "outage", "down")[0] == 0
    for args, reason in [
        (("edit", "nope", "--query", "x"), "monitor 'nope'"),
        (("pause", "nope"), "monitor 'nope'"),
        (("delete", "nope"), "monitor 'nope'"),
        (("edit", "outage"), "nothing to change"),
        (("edit", "outage", "--query", "(down OR"), "column"),
        (("edit", "outage", "--kind", "loud"), "monitor kind 'loud'"),
    ]:
        code, out = _run(sqlite_url, *args)
        assert code != 0, args
        assert reason in out and len(out.strip().splitlines()) == 1, (args, out)
    assert _listed(sqlite_url)["outage"]["query"] == "down"


def _brand_accounts(sqlite_url: str) -> dict[str, int]:
    from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
    from socialdesk.actions.accounts.users import ensure_workspace

    runtime = build_runtime(Settings(database_url=sqlite_url))
    try:
        with runtime.uow() as uow:
            ws = ensure_workspace(uow, "acme")
            ids = {
                f"{channel}:{handle}": check_add_brand_account(uow, ws.id, channel, handle).id
                for channel, handle in (("x", "SkyWaysAir"), ("x", "NetLinkHelp"), ("bluesky", "SkyWaysAir"))
            }
            uow.commit()
    finally:
        runtime.close()
    return ids


def test_a_monitor_names_its_brand_by_handle(sqlite_url: str) -> None:
    ids = _brand_accounts(sqlite_url)
    code, out = _run(sqlite_url, "add", "Skyways", "flight", "--brand", "@skywaysair")
    assert code == 0, out
    # The handle names the airline's account on each network it is on.
    assert (
        out.strip()
        == "monitor 'Skyways' (brand, care) saved, answering as @SkyWaysAir (x), @SkyWaysAir (bluesky)"
    )
    assert _listed(sqlite_url)["Skyways"]["brand_account_ids"] == [
        ids["x:SkyWaysAir"],
        ids["bluesky:SkyWaysAir"],
    ]
    code, out = _run(sqlite_url, "edit", "Skyways", "--brand", "NetLinkHelp")
    assert code == 0 and out.strip().endswith("answering as @NetLinkHelp (x)"), out
    assert _listed(sqlite_url)["Skyways"]["brand_account_ids"] == [ids["x:NetLinkHelp"]]
    assert _run(sqlite_url, "edit", "Skyways", "--no-brand")[0] == 0
    assert _listed(sqlite_url)["Skyways"]["brand_account_ids"] == []
    for args, reason in [
        (
            ("edit", "Skyways", "--brand", "Nobody"),
            "brand 'Nobody' is not one of this workspace's brand accounts",
        ),
        (
            ("edit", "Skyways", "--brand", "SkyWaysAir", "--brand", "NetLinkHelp"),
            "at most one account per network",
        ),
        (("add", "Other", "flight", "--brand", "Nobody"), "@SkyWaysAir on x"),
    ]:
        code, out = _run(sqlite_url, *args)
        assert code != 0 and reason in out and len(out.strip().splitlines()) == 1, (args, out)


def test_a_deleted_monitors_name_can_be_used_again(sqlite_url: str) -> None:
    assert _run(sqlite_url, "add", "outage", "down")[0] == 0
    assert _run(sqlite_url, "delete", "outage")[0] == 0
    assert _run(sqlite_url, "delete", "outage")[0] != 0  # deleted: not found any more
    code, out = _run(sqlite_url, "add", "outage", "down OR outage")
    assert code == 0, out
    assert _listed(sqlite_url)["outage"]["query"] == "down OR outage"
