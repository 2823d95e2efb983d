"""The demo workspace's desk: brand accounts, people, monitors, teams with routing rules, an SLA policy on
business hours and saved replies, so that every screen shows real data at first start.

Seeded once per database (a marker in the workspace's settings says so): a second start changes
nothing, and what an admin later edits or deletes stays as they left it. People are created only when
missing; each new one gets a generated password, returned here to be shown once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.actions.care.notes import check_add_note
from socialdesk.actions.care.saved_replies import check_add_saved_reply
from socialdesk.actions.care.sla import check_set_sla_policy
from socialdesk.actions.care.teams import (
    check_add_member,
    check_add_routing_rule,
    check_create_team,
    check_update_agent,
)
from socialdesk.actions.inbox.conversations import list_conversations
from socialdesk.actions.inbox.replies import check_reply
from socialdesk.actions.listening.monitors import check_create_monitor
from socialdesk.demo.brands import BRANDS, Brand
from socialdesk.domain.networks import can_reply
from socialdesk.domain.people import Role, User, Workspace, normalize_handle
from socialdesk.domain.post import Visibility
from socialdesk.ports.care import NewRoutingRule
from socialdesk.ports.inbox import ConversationQuery
from socialdesk.ports.uow import UnitOfWork

DEMO_WORKSPACE = "demo"
DEMO_WORKSPACE_NAME = "Demo brands"
DEMO_ADMIN = "admin@demo.socialdesk.local"
SEEDED = "demo_seeded"  # the workspace setting that marks the desk as set up

FRONT_LINE = "Front line"
BILLING = "Billing & accounts"
# Office hours in the brands' home time zone: SLA clocks stop outside them.
FRONT_LINE_HOURS = {"timezone": "Europe/London", "schedule": {"mon-fri": "08:00-20:00", "sat": "09:00-17:00"}}
BILLING_HOURS = {"timezone": "Europe/London", "schedule": {"mon-fri": "09:00-17:30"}}
SLA_POLICY: dict[str, Any] = {
    "name": "Business hours",
    "targets": [
        {"priority": "urgent", "first_response_s": 900, "next_response_s": 1800, "resolution_s": 14400},
        {"priority": "high", "first_response_s": 1800, "next_response_s": 3600, "resolution_s": 28800},
        {"first_response_s": 3600, "next_response_s": 7200, "resolution_s": 86400},
    ],
    "warn_fraction": 0.8,
}
SAVED_REPLIES = (
    (
        "Outage: we know",
        "Hi {{customer.handle}}, sorry about this: we know about the outage in your area and engineers "
        "are on it. We'll post here as soon as it's fixed.",
    ),
    (
        "Move to DM",
        "Hi {{customer.name}}, we'd like to look into your account: please send us a DM (never post "
        "account numbers publicly).",
    ),
    (
        "Thanks for the kind words",
        "Thank you {{customer.handle}}, that made our day! We'll pass it on to the team.",
    ),
    (
        "Billing: checking",
        "Hi {{customer.name}}, sorry about the charge. We're checking your bill now and will come back "
        "to you today.",
    ),
)


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    role: str  # how the login line describes them
    password: str | None  # None: the user existed already (its password was shown then)


@dataclass(frozen=True)
class DemoDesk:
    workspace: Workspace
    people: list[DemoPerson]
    seeded_now: bool  # the desk was set up by this start


PEOPLE = (
    (DEMO_ADMIN, "Demo Admin", Role.ADMIN, "admin"),
    ("sam@demo.socialdesk.local", "Sam Rivera", Role.AGENT, "agent"),
    ("tess@demo.socialdesk.local", "Tess Okafor", Role.AGENT, "agent in training: replies wait for approval"),
)


def seed_demo(uow: UnitOfWork, now: datetime) -> DemoDesk:
    """Set up the demo workspace (idempotent); the caller commits."""
    ws = ensure_workspace(uow, DEMO_WORKSPACE, DEMO_WORKSPACE_NAME)
    for brand in BRANDS:
        for channel, handle in brand.handles.items():
            check_add_brand_account(uow, ws.id, channel, handle)
    people: list[DemoPerson] = []
    users: dict[str, User] = {}
    for email, name, role, label in PEOPLE:
        found = uow.users.get_by_email(email)
        password = None
        if found is None:
            password = secrets.token_urlsafe(12)
            users[email] = check_create_user(uow, ws.id, email, name, password, role, now=now)
        else:
            users[email] = found[0]
        people.append(DemoPerson(email, name, label, password))
    seeded = uow.settings.get(ws.id, SEEDED) is None
    if seeded:
        _seed_desk(uow, users[DEMO_ADMIN], [users[p[0]] for p in PEOPLE], now)
        uow.settings.put(ws.id, SEEDED, {"at": now.isoformat(), "version": 1}, now)
    return DemoDesk(ws, people, seeded)


def seed_demo_work(uow: UnitOfWork, workspace_id: int, now: datetime) -> None:
    """Work in progress on the first traffic, so the approvals and notifications pages have something:
    the agent in training answers the most urgent conversation (the reply waits for an admin's
    approval) and the agent asks the admin about the next one in a note. The caller commits."""
    users = {u.email: u for u in uow.users.list(workspace_id)}
    sam, tess = users.get(PEOPLE[1][0]), users.get(PEOPLE[2][0])
    if sam is None or tess is None:
        return
    rows = [
        r.conversation for r in list_conversations(uow, sam, ConversationQuery(active_only=True, limit=100))
    ]
    # The trainee answers where the brand to send as is known and the network takes replies.
    answerable = [c for c in rows if c.brand_account_id is not None and can_reply(c.channel)]
    if not answerable or len(rows) < 2:
        return
    first = answerable[0]
    second = next(c for c in rows if c.id != first.id)
    name = first.author_name or first.author_handle
    text = f"Hi {name}, sorry about this! We're looking into it and will update you here shortly."
    check_reply(uow, tess, first.id, text, Visibility.PUBLIC, now)
    check_add_note(uow, sam, second.id, "@admin could you take a look? This one keeps coming back.", now)


def _care_query(brand: Brand) -> str:
    handle = brand.handles.get("x", brand.alias)
    return f'"{brand.name}" OR {brand.alias} OR @{handle} OR {brand.hashtag} OR {brand.outage_tag}'


def _seed_desk(uow: UnitOfWork, admin: User, people: list[User], now: datetime) -> None:
    _, sam, tess = people
    # Each brand's care monitor answers as that brand's account on each network (issue 15, item 1).
    accounts = {(b.channel, normalize_handle(b.handle)): b.id for b in uow.brands.list(admin.workspace_id)}
    for brand in BRANDS:
        own = [
            accounts[(c, normalize_handle(h))]
            for c, h in brand.handles.items()
            if (c, normalize_handle(h)) in accounts
        ]
        check_create_monitor(
            uow,
            admin,
            name=brand.name,
            query=_care_query(brand),
            kind="brand",
            mode="care",
            brand_account_ids=own,
            now=now,
        )
    rivals = " OR ".join(f'"{name}"' for brand in BRANDS for name in brand.competitors)
    check_create_monitor(
        uow, admin, name="Competitors", query=rivals, kind="competitor", mode="listening", now=now
    )
    front = check_create_team(uow, admin, FRONT_LINE, "least_loaded", "round_robin", FRONT_LINE_HOURS, now)
    billing = check_create_team(uow, admin, BILLING, "round_robin", "least_loaded", BILLING_HOURS, now)
    for user in (admin, sam, tess):
        check_add_member(uow, admin, front.id, user.id, now)
    for user in (admin, sam):
        check_add_member(uow, admin, billing.id, user.id, now)
    money = ["bill", "charged", "charge", "refund", "invoice", "payment", "overdraft", "fee"]
    rules = [
        NewRoutingRule("Outages first", 0, {"categories": ["outage_report"]}, front.id, "high", ("outage",)),
        NewRoutingRule("Money to billing", 1, {"text_any": money}, billing.id, None, ("billing",)),
        NewRoutingRule("Everything else", 2, {}, front.id),
    ]
    for rule in rules:
        check_add_routing_rule(uow, admin, rule, now)
    check_set_sla_policy(uow, admin, SLA_POLICY, now)
    for title, body in SAVED_REPLIES:
        check_add_saved_reply(uow, admin, title, body, "workspace", None, now)
    check_update_agent(uow, admin, tess.id, {"in_training": True, "capacity": 3}, now)
    for user in (sam, tess):
        check_update_agent(uow, admin, user.id, {"status": "online"}, now)
