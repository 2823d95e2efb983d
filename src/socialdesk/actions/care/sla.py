"""SLA clocks on cases: start them when ingest opens a case, feed them events, check them on a timer.

A case's :class:`CaseSla` (policy snapshot included) is stored as JSON with two columns the inbox can
query: ``sla_state`` (the worst live clock: breached, warning = at risk, ok, paused, done) and
``sla_next_check_at`` (when that state next changes without any new event). :func:`do_check_slas` visits
the cases whose check time has come, stores their new state and fires escalation rules, each once.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from socialdesk.actions.accounts.roles import require_care_configuration
from socialdesk.actions.care.audit import record, record_config_change
from socialdesk.actions.care.notifications import notify
from socialdesk.actions.care.routing import Assigner, waiting_case
from socialdesk.domain.business_hours import BusinessHours
from socialdesk.domain.case import Case, CaseStatus
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.people import Role, User
from socialdesk.domain.sla import (
    CaseSla,
    PendingCustomer,
    PriorityChanged,
    Reopened,
    Resolved,
    SlaError,
    SlaEvent,
    SlaPolicy,
    apply,
    case_status,
    next_check_at,
    start_sla,
)
from socialdesk.domain.sla_codec import (
    escalation_rules_from_json,
    hours_from_json,
    policy_from_json,
    sla_from_json,
    sla_to_json,
    summary_state,
)
from socialdesk.domain.sla_escalation import EscalationAction, EscalationRule, due_escalations
from socialdesk.ports.care import CaseCare
from socialdesk.ports.services import Clock
from socialdesk.ports.uow import UnitOfWork

log = logging.getLogger(__name__)
SLA_POLICY = "sla_policy"
TEAM_SLA_POLICIES = "sla_policy_teams"  # {team id: policy}; a team without one uses the workspace's


def check_set_sla_policy(uow: UnitOfWork, user: User, data: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Store the workspace's SLA policy (targets, warning, escalations); admins and team leads.

    It applies to cases opened from now on; each case keeps the policy it started with.
    """
    require_care_configuration(user, "change the SLA policy")
    policy = _valid_policy(data, "SLA policy")
    before = uow.settings.get(user.workspace_id, SLA_POLICY)
    uow.settings.put(user.workspace_id, SLA_POLICY, data, now)
    record_config_change(uow, user, now, "sla_policy_changed", name=policy.name, before=before, after=data)
    return data


def _valid_policy(data: dict[str, Any], where: str) -> SlaPolicy:
    try:
        policy = policy_from_json(data, BusinessHours.always_open())
        escalation_rules_from_json(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationFailed(f"{where}: {exc}") from None
    if not policy.targets:
        raise ValidationFailed(f"{where}: at least one target")
    return policy


def check_set_team_sla_policy(
    uow: UnitOfWork, user: User, team_id: int, data: dict[str, Any] | None, now: datetime
) -> dict[str, Any] | None:
    """Store one team's own SLA policy (None: the team uses the workspace's again); admins and team
    leads. Cases routed to the team from now on start with it; escalation rules stay the workspace's."""
    require_care_configuration(user, "change the SLA policy")
    team = uow.teams.get(user.workspace_id, team_id)
    if team is None:
        raise NotFound(f"team {team_id}")
    if data is not None:
        _valid_policy(data, f"SLA policy of {team.name}")
    stored = dict(uow.settings.get(user.workspace_id, TEAM_SLA_POLICIES) or {})
    before = stored.pop(str(team_id), None)
    if data is not None:
        stored[str(team_id)] = data
    uow.settings.put(user.workspace_id, TEAM_SLA_POLICIES, stored, now)
    record_config_change(uow, user, now, "sla_policy_changed", team_id=team_id, before=before, after=data)
    return data


def _store(uow: UnitOfWork, workspace_id: int, care: CaseCare, state: CaseSla, now: datetime) -> CaseCare:
    care = replace(
        care,
        sla=sla_to_json(state),
        sla_state=summary_state(state, now),
        sla_next_check_at=next_check_at(state, now),
    )
    uow.care.save(workspace_id, care)
    return care


def hours_of_team(uow: UnitOfWork, workspace_id: int, team_id: int | None) -> BusinessHours:
    team = uow.teams.get(workspace_id, team_id) if team_id is not None else None
    return hours_from_json(team.hours if team else None)


def needs_reply_of(care: CaseCare | None) -> bool:
    """Whether a case needs a reply: triage's word on its opening post or an agent's, else yes."""
    facts = (care.facts if care else None) or {}
    return facts.get("needs_reply") is not False


def do_start_slas(
    uow: UnitOfWork, workspace_id: int, cases: Sequence[tuple[Case, str]], now: datetime
) -> None:
    """Start the clocks of newly opened ``(case, channel)`` that need a reply; nothing when the
    workspace has no policy (nor the case's team). Praise, spam and the rest that need no reply get no
    clock. A case routed to a team with its own policy starts with that one."""
    workspace_policy = uow.settings.get(workspace_id, SLA_POLICY)
    team_policies: dict[str, Any] = uow.settings.get(workspace_id, TEAM_SLA_POLICIES) or {}
    if not (workspace_policy or team_policies) or not cases:
        return
    cares = uow.care.get_many(workspace_id, [c.id for c, _ in cases])
    hours: dict[int | None, BusinessHours] = {}
    for case, channel in cases:
        data = team_policies.get(str(case.team_id)) or workspace_policy
        if not data or not needs_reply_of(cares.get(case.id)):
            continue
        if case.team_id not in hours:
            hours[case.team_id] = hours_of_team(uow, workspace_id, case.team_id)
        policy = policy_from_json(data, hours[case.team_id])
        try:
            state = start_sla(policy, channel, case.priority, case.opened_at)
        except SlaError as exc:
            log.info("case %s gets no SLA: %s", case.id, exc)
            continue
        if case.status is CaseStatus.RESOLVED:
            state = apply(state, Resolved(max(case.opened_at, case.resolved_at or case.opened_at)))
        _store(uow, workspace_id, cares.get(case.id, CaseCare(case.id)), state, now)


def do_apply_sla_events(
    uow: UnitOfWork, workspace_id: int, events: Iterable[tuple[int, SlaEvent]], now: datetime
) -> None:
    """Feed events to cases' clocks, in the order given. Cases without an SLA are left alone.

    An event older than the clock's last one (a late-arriving post) counts as happening then; one the
    clock does not accept in its phase is skipped.
    """
    by_case: dict[int, list[SlaEvent]] = {}
    for case_id, event in events:
        by_case.setdefault(case_id, []).append(event)
    if not by_case:
        return
    for case_id, care in uow.care.get_many(workspace_id, by_case).items():
        if care.sla is None:
            continue
        state = sla_from_json(care.sla)
        for event in by_case[case_id]:
            if event.at < state.updated_at:
                event = replace(event, at=state.updated_at)
            try:
                state = apply(state, event)
            except SlaError as exc:
                log.debug("case %s: SLA event skipped: %s", case_id, exc)
        _store(uow, workspace_id, care, state, now)


def status_events(old: CaseStatus, new: CaseStatus, at: datetime) -> list[SlaEvent]:
    """What a case status change means for its clocks."""
    if new is CaseStatus.PENDING_CUSTOMER:
        return [PendingCustomer(at)]
    if new in (CaseStatus.RESOLVED, CaseStatus.CLOSED) and old is not CaseStatus.RESOLVED:
        return [Resolved(at)]
    if old is CaseStatus.RESOLVED and new is CaseStatus.OPEN:
        return [Reopened(at)]
    return []


def sla_view(care: CaseCare | None, now: datetime) -> dict[str, Any] | None:
    """The SLA of a case as the API shows it: the summary state and every clock at ``now``."""
    if care is None or care.sla is None:
        return None
    state = sla_from_json(care.sla)
    clocks = [
        {
            "kind": s.kind.value,
            "state": s.state.value,
            "target_s": s.target_s,
            "elapsed_s": s.elapsed_s,
            "remaining_s": s.remaining_s,
            "deadline": s.deadline,
            "warning_at": s.warning_at,
            "finished_at": s.finished_at,
        }
        for s in case_status(state, now).values()
    ]
    return {"state": summary_state(state, now), "priority": state.priority, "clocks": clocks}


@dataclass
class SlaCheckReport:
    checked: int = 0
    escalations: int = 0


def do_check_slas(uow_factory: Callable[[], UnitOfWork], clock: Clock, limit: int = 500) -> SlaCheckReport:
    """One pass: every case whose SLA check time has come gets its new state and due escalations.

    Each workspace is one transaction; an escalation is recorded under its key, so it fires once.
    """
    report = SlaCheckReport()
    with uow_factory() as uow:
        workspaces = [w.id for w in uow.workspaces.list()]
    for ws in workspaces:
        with uow_factory() as uow:
            now = clock.now()
            due = uow.care.due_sla(ws, now, limit)
            if not due:
                continue
            data = uow.settings.get(ws, SLA_POLICY) or {}
            rules = escalation_rules_from_json(data)
            cares = uow.care.get_many(ws, due)
            for case_id in due:
                case = uow.cases.get(ws, case_id)
                care = cares[case_id]
                if case is None or care.sla is None:
                    continue
                report.checked += 1
                report.escalations += _check_one(uow, ws, case, care, rules, now)
    return report


def _check_one(
    uow: UnitOfWork, ws: int, case: Case, care: CaseCare, rules: list[EscalationRule], now: datetime
) -> int:
    state = sla_from_json(care.sla or {})
    before = care.sla_state
    fired = due_escalations(state, rules, now, uow.care.fired_escalations(ws, case.id))
    for esc in fired:
        uow.care.record_escalation(ws, case.id, esc.key, esc.rule_id, [a.value for a in esc.actions], now)
        for action in esc.actions:
            case, state = _escalate(uow, ws, case, care, state, action, esc.rule_id, now)
        record(
            uow,
            ws,
            now,
            None,
            "sla_escalated",
            case_id=case.id,
            conversation_id=case.conversation_id,
            rule=esc.rule_id,
            clock=esc.clock.value,
            state=esc.state.value,
            actions=[a.value for a in esc.actions],
        )
    care = _store(uow, ws, care, state, now)
    if fired or care.sla_state != before:
        data = {"case_id": case.id, "conversation_id": case.conversation_id, "sla_state": care.sla_state}
        uow.emit(Event(ws, EventKind.CASE_SLA_CHANGED, data))
    return len(fired)


def _escalate(
    uow: UnitOfWork,
    ws: int,
    case: Case,
    care: CaseCare,
    state: CaseSla,
    action: EscalationAction,
    rule_id: str,
    now: datetime,
) -> tuple[Case, CaseSla]:
    if action is EscalationAction.RAISE_PRIORITY:
        current = case.priority
        raised = current.raised()
        if raised is not current:
            case = replace(case, priority=raised, updated_at=now)
            uow.cases.save_many([case])
            with contextlib.suppress(SlaError):
                state = apply(state, PriorityChanged(max(now, state.updated_at), raised.value))
            record(
                uow,
                ws,
                now,
                None,
                "priority_changed",
                case_id=case.id,
                conversation_id=case.conversation_id,
                priority=raised.value,
                rule=rule_id,
            )
    elif action is EscalationAction.NOTIFY_SUPERVISOR:
        for admin in uow.users.list(ws):
            if admin.role is Role.ADMIN and admin.is_active:
                notify(uow, ws, admin.id, "sla_escalation", now, None, case_id=case.id,
                       conversation_id=case.conversation_id, rule=rule_id)  # fmt: skip
    elif action is EscalationAction.REASSIGN and case.team_id is not None:
        conv = uow.conversations.get(ws, case.conversation_id)
        since = (conv.waiting_since if conv else None) or case.opened_at
        agent = Assigner(uow, ws).choose(waiting_case(case, care, since, None), exclude=case.assignee_id)
        if agent is not None:  # nobody else free: the case stays where it is rather than in a queue
            previous = case.assignee_id
            case = replace(case, assignee_id=agent, updated_at=now)
            uow.cases.save_many([case])
            record(
                uow,
                ws,
                now,
                None,
                "assigned",
                case_id=case.id,
                conversation_id=case.conversation_id,
                assignee_id=agent,
                previous=previous,
                rule=rule_id,
            )
            uow.emit(Event(ws, EventKind.CASE_ASSIGNED, {"case_id": case.id, "assignee_id": agent}))
            notify(uow, ws, agent, "assigned", now, None, case_id=case.id,
                   conversation_id=case.conversation_id)  # fmt: skip
    return case, state
