"""The detector in the server: ingest feeds each stored customer post to the workspace's detector; an
opened incident is stored `suspected` with its members, later matching posts join it, an agent's
removal sticks, a resolved incident takes no more posts, a restart rebuilds from stored posts."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.actions.inbox.annotate import Annotator
from socialdesk.actions.inbox.ingest import do_ingest_posts
from socialdesk.actions.incidents.watch import IncidentWatch
from socialdesk.bus.inprocess import RecordingBus
from socialdesk.domain.people import Role
from socialdesk.domain.post import Post
from socialdesk.ports.care import IncidentRecord
from socialdesk.ports.uow import UnitOfWork
from tests.conftest import T0
from tests.factories import post

Factory = Callable[[], UnitOfWork]
TOPICS = ("order", "refund", "delivery", "password", "invoice", "card", "parcel", "account", "payment")
OUTAGE = (
    "internet is down in Leeds",
    "no wifi in leeds since 9, anyone else?",
    "broadband outage in #Leeds again",
    "Leeds: connection keeps dropping, is it an outage",
    "whole street in Leeds offline, fix it",
)


def _setup(uow_factory: Factory) -> int:
    with uow_factory() as uow:
        ws = ensure_workspace(uow, "acme")
        check_add_brand_account(uow, ws.id, "x", "@AcmeCares")
        uow.commit()
    return ws.id


def _background(minutes: int, seed: int = 1) -> list[Post]:
    rng = random.Random(seed)
    out, at, i = [], 0.0, 0
    while at < minutes:
        at += rng.expovariate(3.0)
        a, b = rng.sample(TOPICS, 2)
        out.append(
            post(
                f"@AcmeCares my {a} is broken and the {b} too",
                id=f"bg{i}",
                author=f"c{rng.randint(1, 5000)}",
                minutes=at,
            )
        )
        i += 1
    return out


def _burst(start: float, n: int, tag: str = "b") -> list[Post]:
    return [
        post(
            f"@AcmeCares {OUTAGE[k % 5]}",
            id=f"{tag}{k}",
            author=f"{tag}author{k}",
            minutes=start + 30 * k / n,
        )
        for k in range(n)
    ]


def _feed(
    uow_factory: Factory, ws: int, posts: list[Post], annotator: Annotator, per_batch: int = 20
) -> None:
    posts = sorted(posts, key=lambda p: p.created_at)
    for i in range(0, len(posts), per_batch):
        batch = posts[i : i + per_batch]
        with uow_factory() as uow:
            do_ingest_posts(uow, ws, batch, batch[-1].created_at, annotator)
            uow.commit()


def test_an_outage_is_stored_as_a_suspected_incident_with_its_members(
    uow_factory: Factory, bus: RecordingBus
) -> None:
    ws = _setup(uow_factory)
    annotator = Annotator(incidents=IncidentWatch())
    _feed(uow_factory, ws, _background(120) + _burst(60, 30), annotator)
    with uow_factory() as uow:
        [incident] = uow.incidents.list(ws)
        members = uow.incidents.members(ws, incident.id)
        burst_ids = uow.messages.find_by_keys(ws, [("x", f"b{k}") for k in range(30)])
        audit = [e.action for e in uow.audit.between(ws, None, None)]
    assert incident.status == "suspected"
    assert incident.detector_key == "w:leeds"
    assert "leeds" in incident.keywords
    assert incident.detected_at is not None and incident.detected_at - (
        T0 + timedelta(minutes=64)
    ) <= timedelta(minutes=10)
    assert {m.message_id for m in members} == {ref.id for ref in burst_ids.values()}  # later ones joined too
    assert all(m.conversation_id is not None and m.added_by is None for m in members)
    assert next(e.kind for e in bus.events if e.kind.startswith("incident.")) == "incident.opened"
    assert "incident.updated" in {e.kind for e in bus.events}
    assert audit.count("incident_opened") == 1


def test_without_a_watch_ingest_stores_no_incident(uow_factory: Factory) -> None:
    ws = _setup(uow_factory)
    _feed(uow_factory, ws, _background(120) + _burst(60, 30), Annotator())
    with uow_factory() as uow:
        assert uow.incidents.list(ws) == []


def test_ordinary_background_stores_no_incident(uow_factory: Factory) -> None:
    ws = _setup(uow_factory)
    _feed(uow_factory, ws, _background(180, seed=3), Annotator(incidents=IncidentWatch()))
    with uow_factory() as uow:
        assert uow.incidents.list(ws) == []


def test_a_restarted_process_rebuilds_and_joins_the_stored_incident(uow_factory: Factory) -> None:
    ws = _setup(uow_factory)
    posts = sorted(_background(120) + _burst(60, 30), key=lambda p: p.created_at)
    cut = next(i for i, p in enumerate(posts) if p.id == "b20")
    _feed(uow_factory, ws, posts[:cut], Annotator(incidents=IncidentWatch()))
    with uow_factory() as uow:
        [incident] = uow.incidents.list(ws)
        before = len(uow.incidents.members(ws, incident.id))
    # A new process: its detector is rebuilt from the stored posts, finds the same incident, and the
    # rest of the burst joins it (no second incident).
    _feed(uow_factory, ws, posts[cut:], Annotator(incidents=IncidentWatch()))
    with uow_factory() as uow:
        assert [i.id for i in uow.incidents.list(ws)] == [incident.id]
        after = uow.incidents.members(ws, incident.id)
    assert before < 30 and len(after) == 30


def test_a_conversation_an_agent_removed_is_not_added_again_by_the_detector(uow_factory: Factory) -> None:
    ws = _setup(uow_factory)
    with uow_factory() as uow:
        agent = check_create_user(uow, ws, "ann@acme.io", "Ann", "correct-horse-7", Role.AGENT)
        i = uow.incidents.open(IncidentRecord(0, ws, "Outage", T0, "suspected"))
        assert uow.incidents.add_members(ws, i.id, [(7, 70), (8, 80)], T0, None) == 2
        assert uow.incidents.remove_conversation(ws, i.id, 7, T0) == 1
        assert uow.incidents.add_members(ws, i.id, [(7, 71)], T0, None) == 0  # the detector: left out
        assert [m.conversation_id for m in uow.incidents.members(ws, i.id)] == [8]
        assert uow.incidents.add_members(ws, i.id, [(7, None)], T0, agent.id) == 1  # an agent brings it back
        assert sorted(m.conversation_id or 0 for m in uow.incidents.members(ws, i.id)) == [7, 8]
        assert uow.incidents.add_members(ws, i.id, [(7, 72)], T0, None) == 1  # and the detector may add to it
        uow.commit()


def test_a_resolved_incident_takes_no_more_posts(uow_factory: Factory) -> None:
    ws = _setup(uow_factory)
    annotator = Annotator(incidents=IncidentWatch())
    posts = sorted(_background(120) + _burst(60, 30), key=lambda p: p.created_at)
    cut = next(i for i, p in enumerate(posts) if p.id == "b15")
    _feed(uow_factory, ws, posts[:cut], annotator)
    with uow_factory() as uow:
        [incident] = uow.incidents.list(ws)
        before = len(uow.incidents.members(ws, incident.id))
        uow.incidents.save(replace(incident, status="resolved"))
        uow.commit()
    _feed(uow_factory, ws, posts[cut:], annotator)
    with uow_factory() as uow:
        assert len(uow.incidents.members(ws, incident.id)) == before < 30
