"""`make demo` shows a working desk at first start (issue #15, item 11): monitors, two teams with routing
rules, an SLA policy on business hours, saved replies, a second agent and an agent in training; it
prints the workspace with the logins (passwords generated, shown once) and a second start changes
nothing. `socialdesk users create` without -w uses a database's only workspace and says so."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from socialdesk.actions.care.sla import SLA_POLICY
from socialdesk.actions.inbox.ingest_stream import ingest_records
from socialdesk.actions.listening.monitors import check_delete_monitor, list_monitors
from socialdesk.cli import demo_setup
from socialdesk.cli.demo_seed import DEMO_ADMIN, seed_demo, seed_demo_work
from socialdesk.cli.main import app
from socialdesk.config import Settings
from socialdesk.demo.traffic import generate_posts
from socialdesk.domain.case import ACTIVE_STATUSES
from socialdesk.ingest.validate import post_from_dict
from socialdesk.ports.inbox import ConversationQuery
from socialdesk.runtime import Runtime, build_runtime

runner = CliRunner()
LOGIN = re.compile(r"log in as (\S+) with password: (\S+)")


def _desk(runtime: Runtime) -> dict[str, Any]:
    """What every screen draws on, counted."""
    with runtime.uow() as uow:
        ws = uow.workspaces.get_by_slug("demo")
        assert ws is not None
        admin = uow.users.get_by_email(DEMO_ADMIN)
        assert admin is not None
        users = {u.email: u for u in uow.users.list(ws.id)}
        rows = uow.conversations.query(ws.id, ConversationQuery(limit=500))
        cases = [r.case for r in rows if r.case is not None]
        return {
            "monitors": {
                m.monitor.name: (m.monitor.mode.value, m.matches) for m in list_monitors(uow, admin[0])
            },
            "teams": sorted(t.name for t in uow.teams.list(ws.id)),
            "members": sorted(len(m) for m in uow.teams.members(ws.id).values()),
            "rules": [r.name for r in uow.routing.list(ws.id)],
            "sla": (uow.settings.get(ws.id, SLA_POLICY) or {}).get("name"),
            "saved": sorted(r.title for r in uow.saved_replies.list(ws.id)),
            "users": sorted((u.role.value, u.in_training) for u in users.values()),
            "online": sorted(u.email for u in users.values() if u.status.value == "online"),
            "cases": len(cases),
            "branded": (sum(1 for r in rows if r.conversation.brand_account_id is not None), len(rows)),
            "routed": sum(1 for c in cases if c.team_id is not None),
            "assigned": sum(1 for c in cases if c.assignee_id is not None and c.status in ACTIVE_STATUSES),
            "sla_clocks": sum(1 for r in rows if r.care is not None and r.care.sla_state),
            "audit": len(uow.audit.between(ws.id, None, None)),
            "held": len(uow.approvals.list(ws.id, "pending")),
            "mentions": len(uow.notifications.list(ws.id, admin[0].id)),
        }


def test_the_demo_desk_is_seeded_once_with_real_data_on_every_screen(tmp_path: Path) -> None:
    runtime = build_runtime(Settings(database_url=f"sqlite:///{tmp_path / 'demo.db'}"))
    try:
        with runtime.uow() as uow:
            first = seed_demo(uow, runtime.clock.now())
            uow.commit()
        assert first.seeded_now and [p.password is not None for p in first.people] == [True] * 3
        start = runtime.clock.now() - timedelta(hours=1)
        posts = generate_posts(120, seed=7, start=start, posts_per_minute=2.0)
        ingest_records(
            runtime.uow, first.workspace.id, ((i, post_from_dict(p, i)) for i, p in enumerate(posts, 1)),
            runtime.clock, annotator=runtime.annotator,
        )  # fmt: skip
        with runtime.uow() as uow:
            seed_demo_work(uow, first.workspace.id, runtime.clock.now())
            uow.commit()
        desk = _desk(runtime)
        brands = ["Harbor Bank", "Kestrel Stream", "Nimbus Fiber", "Skylark Air"]
        assert sorted(desk["monitors"]) == sorted([*brands, "Competitors"])
        assert all(desk["monitors"][b][0] == "care" for b in brands)
        assert sum(desk["monitors"][b][1] for b in brands) > 50  # the traffic is about the brands
        assert desk["teams"] == ["Billing & accounts", "Front line"] and desk["members"] == [2, 3]
        assert desk["rules"] == ["Outages first", "Money to billing", "Everything else"]
        assert desk["sla"] == "Business hours"
        assert len(desk["saved"]) == 4
        assert desk["users"] == [("admin", False), ("agent", False), ("agent", True)]
        assert desk["online"] == ["sam@demo.socialdesk.local", "tess@demo.socialdesk.local"]
        assert desk["cases"] > 20 and desk["routed"] == desk["cases"]
        assert desk["assigned"] > 0 and desk["sla_clocks"] > 0
        # Each brand's care monitor names its accounts: the inbox's Brand column is filled for most rows.
        branded, conversations = desk["branded"]
        assert branded >= 0.9 * conversations
        # approvals and notifications show work: the admin was mentioned and told of the held reply
        assert (desk["held"], desk["mentions"]) == (1, 2)

        # A second start changes nothing, and what an admin deleted stays deleted.
        with runtime.uow() as uow:
            admin = uow.users.get_by_email(DEMO_ADMIN)
            assert admin is not None
            competitors = next(m for m in list_monitors(uow, admin[0]) if m.monitor.name == "Competitors")
            check_delete_monitor(uow, admin[0], competitors.monitor.id, runtime.clock.now())
            uow.commit()
        before = _desk(runtime)
        with runtime.uow() as uow:
            second = seed_demo(uow, runtime.clock.now())
            uow.commit()
        assert not second.seeded_now and [p.password for p in second.people] == [None] * 3
        assert _desk(runtime) == before
        assert "Competitors" not in before["monitors"]
    finally:
        runtime.close()


def test_demo_prints_the_workspace_and_each_login_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    monkeypatch.setenv("SOCIALDESK_DATABASE_URL", url)
    monkeypatch.setattr(demo_setup, "freeze_startup_objects", lambda: None)
    monkeypatch.setattr("uvicorn.run", lambda *_args, **_kwargs: None)  # set up, print, but serve nothing
    first = runner.invoke(app, ["demo", "--db", url])
    assert first.exit_code == 0, first.output
    assert "workspace: Demo brands (demo)" in first.output
    logins = LOGIN.findall(first.output)
    assert [email for email, _ in logins] == [
        DEMO_ADMIN, "sam@demo.socialdesk.local", "tess@demo.socialdesk.local",
    ]  # fmt: skip
    assert len({password for _, password in logins}) == 3
    assert "(agent in training: replies wait for approval)" in first.output
    second = runner.invoke(app, ["demo", "--db", url])
    assert second.exit_code == 0, second.output
    assert "workspace: Demo brands (demo)" in second.output
    assert LOGIN.findall(second.output) == []
    assert all(password not in second.output for _, password in logins)
    assert f"log in as {DEMO_ADMIN} (admin; its password was shown when it was created)" in second.output


def test_users_create_without_a_workspace_uses_the_only_one(sqlite_url: str) -> None:
    def create(email: str, *extra: str) -> Any:
        return runner.invoke(
            app, ["users", "create", email, "--db", sqlite_url, *extra], input="correct-horse-1\n"
        )

    first = create("ada@acme.io", "-w", "acme")
    assert first.exit_code == 0, first.output
    only = create("bob@acme.io")
    assert only.exit_code == 0, only.output
    assert "using workspace acme (the only one in this database; -w chooses)" in only.stderr
    assert "created agent bob@acme.io in workspace acme" in only.stdout
    assert create("carl@beta.io", "-w", "beta").exit_code == 0
    several = create("dora@acme.io")
    assert several.exit_code == 1
    assert "this database has 2 workspaces (acme, beta): choose one with -w" in several.stderr
