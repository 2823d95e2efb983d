"""The actions the settings pages added: an admin adds a user or a brand account (audited, refused to
agents), and the previews change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from socialdesk.actions.accounts.brand_accounts import check_add_brand
from socialdesk.actions.accounts.invites import INVITE_HOURS, check_accept_invite, check_invite_user
from socialdesk.actions.accounts.lifecycle import check_add_user
from socialdesk.actions.accounts.users import authenticate_password, check_create_user
from socialdesk.actions.care.routing_preview import preview_route
from socialdesk.actions.care.sla_preview import preview_sla_deadlines
from socialdesk.actions.care.teams import check_add_member, check_add_routing_rule, check_create_team
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.people import Role
from socialdesk.ports.care import NewRoutingRule
from tests.support.sqlite_copies import SqliteStore

NOW = datetime(2026, 1, 9, 16, 30, tzinfo=UTC)


def test_an_admin_adds_users_and_brands_audited_an_agent_may_not(sqlite_store: SqliteStore) -> None:
    with sqlite_store.unit_of_work() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        admin = check_create_user(uow, ws, "a@x.io", "Ada", "correct-horse-1", Role.ADMIN)
        agent = check_create_user(uow, ws, "c@x.io", "Carl", "correct-horse-1")
        dora = check_add_user(uow, admin, "Dora@X.io", "Dora", "correct-horse-2", Role.AGENT, NOW)
        brand = check_add_brand(uow, admin, "mastodon", "@AcmeCares", NOW)
        with pytest.raises(PermissionDenied, match="only an admin of this workspace may manage its users"):
            check_add_user(uow, agent, "e@x.io", "Eve", "correct-horse-3", Role.ADMIN, NOW)
        with pytest.raises(PermissionDenied, match="only admins add brand accounts"):
            check_add_brand(uow, agent, "x", "acme", NOW)
        with pytest.raises(ValidationFailed, match="already a brand account"):
            check_add_brand(uow, admin, "mastodon", "acmecares", NOW)
        entries = uow.audit.between(ws, None, None)
        uow.commit()
    assert (dora.email, brand.handle) == ("dora@x.io", "AcmeCares")
    assert [(e.actor_id, e.action) for e in entries] == [
        (admin.id, "user.created"),
        (admin.id, "brand_account_added"),
    ]


def test_previews_route_and_time_a_sample_without_changing_anything(sqlite_store: SqliteStore) -> None:
    with sqlite_store.unit_of_work() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        admin = check_create_user(uow, ws, "a@x.io", "Ada", "correct-horse-1", Role.ADMIN)
        agent = check_create_user(uow, ws, "c@x.io", "Carl", "correct-horse-1")
        hours = {"timezone": "UTC", "schedule": {"mon-fri": "09:00-17:00"}, "holidays": []}
        team = check_create_team(uow, admin, "Billing", "round_robin", "least_loaded", hours, NOW)
        check_add_member(uow, admin, team.id, agent.id, NOW)
        rule = NewRoutingRule(
            name="refunds", position=0, conditions={"text_any": ["refund"]}, team_id=team.id
        )
        check_add_routing_rule(uow, admin, rule, NOW)
        target = {"first_response_s": 3600, "next_response_s": 3600, "resolution_s": 86400}
        uow.settings.put(ws, "sla_policy", {"targets": [target]}, NOW)
        before = len(uow.audit.between(ws, None, None))
        preview = preview_route(uow, admin, "A REFUND please", "x", None, NOW)
        deadlines = preview_sla_deadlines(uow, admin, team.id, "x", "normal", NOW)
        with pytest.raises(PermissionDenied):
            preview_route(uow, agent, "refund", "x", None, NOW)
        assert len(uow.audit.between(ws, None, None)) == before
        assert uow.teams.get(ws, team.id).rr_last_agent_id is None  # type: ignore[union-attr]
    assert preview.team is not None and preview.team.name == "Billing"
    assert preview.agent is None and "no online agent under capacity" in preview.why
    assert deadlines.first_response == datetime(2026, 1, 12, 9, 30, tzinfo=UTC)  # after the weekend


def test_an_invitation_expires_is_spent_once_and_only_admins_make_one(sqlite_store: SqliteStore) -> None:
    with sqlite_store.unit_of_work() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        admin = check_create_user(uow, ws, "a@x.io", "Ada", "correct-horse-1", Role.ADMIN)
        agent = check_create_user(uow, ws, "c@x.io", "Carl", "correct-horse-1")
        with pytest.raises(PermissionDenied):
            check_invite_user(uow, agent, "e@x.io", "Eve", Role.AGENT, NOW)
        late = check_invite_user(uow, admin, "late@x.io", "Late", Role.AGENT, NOW)
        eve = check_invite_user(uow, admin, "eve@x.io", "Eve", Role.LEAD, NOW)
        expired = NOW + timedelta(hours=INVITE_HOURS)
        with pytest.raises(NotFound, match="not valid"):
            check_accept_invite(uow, ws, late.token, "long-enough-1", "long-enough-1", expired)
        with pytest.raises(ValidationFailed):
            check_accept_invite(uow, ws, eve.token, "short", "short", NOW)
        accepted = check_accept_invite(uow, ws, eve.token, "long-enough-1", "long-enough-1", NOW)
        with pytest.raises(NotFound, match="not valid"):
            check_accept_invite(uow, ws, eve.token, "long-enough-2", "long-enough-2", NOW)
        users = {u.email: u for u in uow.users.list(ws)}
        actions = [e.action for e in uow.audit.between(ws, None, None)]
        uow.commit()
    assert accepted.id == eve.user.id and users["eve@x.io"].is_active and users["eve@x.io"].role is Role.LEAD
    assert not users["late@x.io"].is_active
    assert actions.count("user.invited") == 2 and actions.count("user.invite_accepted") == 1
    assert authenticate_password(sqlite_store.unit_of_work, "eve@x.io", "long-enough-1") is not None
