"""A small hand-built workspace with known numbers, for every analytics test.

Clock: T0 = 2026-01-05 09:00 UTC. Workspace acme, SLA first response 10 min (warning at 80 %):

    post  min  channel   followers  sentiment  monitors        reply (min)  case afterwards
    p1     0   x                50    -0.5     Acme            30 (late)    open, ada
    p2     5   x               500    -0.25    Rival           -            new, team billing
    p3    10   mastodon      5,000     -       -               15           open, ada
    p4    20   x            50,000     0.5     Acme, Rival     22           open
    p5    30   bluesky     200,000     0.75    Acme            31           resolved at 40
    p6    65   x                 -    -1.0     Outage (topic)  -            new
    p7    71   x                10     -       -               -            new

`now` is T0 + 80 min, after an SLA check: p2 and p6 breached, p7 at risk. Workspace beta has its own
post, monitor, team and agent at the same times, which must never show in acme's figures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from socialdesk.actions.care.sla import SLA_POLICY, do_check_slas
from socialdesk.actions.inbox.dispatch import do_dispatch_outbox
from socialdesk.actions.inbox.ingest import do_ingest_posts
from socialdesk.actions.inbox.replies import check_send_reply
from socialdesk.channels.simulated.send import SimulatedSender
from socialdesk.domain.assignment import AgentStatus, Strategy
from socialdesk.domain.case import CaseStatus
from socialdesk.domain.clock import FixedClock
from socialdesk.domain.monitor import MonitorKind, MonitorMode
from socialdesk.domain.people import Role, Team, User
from socialdesk.domain.post import Author, Post, Visibility
from socialdesk.ports.listening import NewMonitor
from socialdesk.ports.uow import UnitOfWork
from tests.conftest import T0

Factory = Callable[[], UnitOfWork]
NOW = T0 + timedelta(minutes=80)
HOSTILE_MONITOR = 'Rival <script>alert("x")</script> & co'
POLICY = {
    "name": "standard",
    "targets": [{"first_response_s": 600, "next_response_s": 3600, "resolution_s": 86400}],
    "warn_fraction": 0.8,
}

# (id, minutes after T0, channel, followers, sentiment score, monitor names)
POSTS = [
    ("p1", 0, "x", 50, -0.5, ("Acme",)),
    ("p2", 5, "x", 500, -0.25, (HOSTILE_MONITOR,)),
    ("p3", 10, "mastodon", 5_000, None, ()),
    ("p4", 20, "x", 50_000, 0.5, ("Acme", HOSTILE_MONITOR)),
    ("p5", 30, "bluesky", 200_000, 0.75, ("Acme",)),
    ("p6", 65, "x", None, -1.0, ("Outage",)),
    ("p7", 71, "x", 10, None, ()),
]
REPLIES = {"p1": 30, "p3": 15, "p4": 22, "p5": 31}  # post -> minute of the first public reply


@dataclass(frozen=True)
class World:
    acme: int
    beta: int
    ada: User  # agent of acme, online
    bob: User  # agent of beta
    conversations: dict[str, int]  # acme post id -> conversation id
    cases: dict[str, int]  # acme post id -> case id
    teams: dict[str, int]


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def _post(ident: str, minutes: float, channel: str, followers: int | None) -> Post:
    author = Author(id=f"a-{ident}", handle=f"cust_{ident}", name=f"Customer {ident}", followers=followers)
    return Post(id=ident, channel=channel, text=f"help please {ident}", created_at=at(minutes), author=author)


def _ingest(
    uow: UnitOfWork, ws: int, post: Post, score: float | None, monitors: dict[str, int], names: Sequence[str]
) -> tuple[int, int]:
    do_ingest_posts(uow, ws, [post], post.created_at)
    ref = uow.messages.find_by_keys(ws, [(post.channel, post.id)])[(post.channel, post.id)]
    if score is not None:
        uow.messages.set_triage(ws, ref.id, {"sentiment": "neutral", "sentiment_score": score})
    uow.monitors.record_matches(ws, [(monitors[n], ref.id) for n in names], post.created_at)
    assert ref.conversation_id is not None
    case = uow.cases.current_for(ws, [ref.conversation_id])[ref.conversation_id]
    return ref.conversation_id, case.id


def _monitors(uow: UnitOfWork, ws: int, prefix: str = "") -> dict[str, int]:
    kinds = {"Acme": MonitorKind.BRAND, HOSTILE_MONITOR: MonitorKind.COMPETITOR, "Outage": MonitorKind.TOPIC}
    return {
        name: uow.monitors.add(ws, NewMonitor(prefix + name, "acme", kind, MonitorMode.LISTENING), T0).id
        for name, kind in kinds.items()
    }


def build_world(uow_factory: Factory, clock: FixedClock) -> World:
    with uow_factory() as uow:
        acme = uow.workspaces.add("acme", "Acme").id
        beta = uow.workspaces.add("beta", "Beta").id
        ada = uow.users.add(acme, "ada@acme.io", "Ada Byron", Role.AGENT, "h", "^AB")
        bob = uow.users.add(acme, "bob@acme.io", "Bob Away", Role.AGENT, "h", "^BA")
        uow.users.add(acme, "cy@acme.io", "Cy Offline", Role.ADMIN, "h", "^CO")
        other = uow.users.add(beta, "bo@beta.io", "Bo Beta", Role.AGENT, "h", "^BB")
        uow.agents.save(replace(ada, status=AgentStatus.ONLINE))
        uow.agents.save(replace(bob, status=AgentStatus.AWAY))
        uow.agents.save(replace(other, status=AgentStatus.ONLINE))
        rr = Strategy.ROUND_ROBIN
        teams = {n: uow.teams.add(acme, Team(0, acme, n, rr)).id for n in ("billing", "vip")}
        beta_team = uow.teams.add(beta, Team(0, beta, "billing", Strategy.ROUND_ROBIN)).id
        uow.settings.put(acme, SLA_POLICY, POLICY, T0)
        uow.settings.put(beta, SLA_POLICY, POLICY, T0)
        acme_monitors, beta_monitors = _monitors(uow, acme), _monitors(uow, beta, "beta ")
        uow.commit()
    conversations: dict[str, int] = {}
    cases: dict[str, int] = {}
    events = [(m, "post", p) for p, m, *_ in POSTS] + [(m, "reply", p) for p, m in REPLIES.items()]
    events = sorted([*events, (40, "resolve", "p5")])
    info = {p[0]: p for p in POSTS}
    for minutes, kind, ident in events:
        clock.current = at(minutes)
        with uow_factory() as uow:
            if kind == "post":
                _, _, channel, followers, score, names = info[ident]
                conversations[ident], cases[ident] = _ingest(
                    uow, acme, _post(ident, minutes, channel, followers), score, acme_monitors, names
                )
                _ingest(uow, beta, _post(f"b{ident}", minutes, channel, 99), 0.0, beta_monitors, names)
            elif kind == "reply":
                check_send_reply(uow, ada, conversations[ident], "on it", Visibility.PUBLIC, clock.now())
            else:
                case = uow.cases.get(acme, cases[ident])
                assert case is not None
                uow.cases.save_many([replace(case, status=CaseStatus.RESOLVED, resolved_at=clock.now())])
            uow.commit()
        if kind == "reply":  # answered when delivered: the outbox confirms the send at once
            assert do_dispatch_outbox(uow_factory, {}, clock, default=SimulatedSender()).sent == 1
    with uow_factory() as uow:
        placed = {"p1": (ada.id, None), "p3": (ada.id, None), "p2": (None, teams["billing"])}
        for ident, (assignee, team) in placed.items():
            case = uow.cases.get(acme, cases[ident])
            assert case is not None
            uow.cases.save_many([replace(case, assignee_id=assignee, team_id=team)])
        for case in uow.cases.current_for(beta, range(1, 100)).values():
            uow.cases.save_many([replace(case, team_id=beta_team)])
        uow.commit()
    clock.current = NOW
    do_check_slas(uow_factory, clock)
    return World(acme, beta, ada, other, conversations, cases, teams)
