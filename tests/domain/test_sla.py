from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from socialdesk.domain.business_hours import BusinessHours
from socialdesk.domain.sla import (
    AgentReply,
    CasePhase,
    CaseSla,
    ClockKind,
    ClockState,
    CustomerMessage,
    PendingCustomer,
    PriorityChanged,
    Reopened,
    Resolved,
    SlaError,
    SlaEvent,
    SlaPolicy,
    SlaTarget,
    apply,
    case_status,
    next_check_at,
    start_sla,
)
from socialdesk.domain.sla_escalation import EscalationAction, EscalationRule, due_escalations

HOUR = 3600
MIN = 60
T0 = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)  # a Monday
FR, NR, RES = ClockKind.FIRST_RESPONSE, ClockKind.NEXT_RESPONSE, ClockKind.RESOLUTION

TARGETS = (
    SlaTarget(None, None, first_response_s=HOUR, next_response_s=30 * MIN, resolution_s=8 * HOUR),
    SlaTarget("x", None, first_response_s=30 * MIN, next_response_s=20 * MIN, resolution_s=4 * HOUR),
    SlaTarget(None, "urgent", first_response_s=15 * MIN, next_response_s=10 * MIN, resolution_s=2 * HOUR),
    SlaTarget("x", "urgent", first_response_s=5 * MIN, next_response_s=5 * MIN, resolution_s=HOUR),
)
ALWAYS = SlaPolicy("24/7", TARGETS, BusinessHours.always_open())
OFFICE = SlaPolicy("office", TARGETS, BusinessHours.from_spec("America/New_York", {"mon-fri": "09:00-17:00"}))


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def run(state: CaseSla, *events: SlaEvent) -> CaseSla:
    for event in events:
        state = apply(state, event)
    return state


def states(state: CaseSla, now: datetime) -> dict[ClockKind, ClockState]:
    return {kind: status.state for kind, status in case_status(state, now).items()}


# --- policy matching ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "priority", "first_response_s"),
    [
        ("x", "urgent", 5 * MIN),
        ("x", "normal", 30 * MIN),
        ("email", "urgent", 15 * MIN),
        ("email", "low", HOUR),
    ],
)
def test_most_specific_target_wins(channel: str, priority: str, first_response_s: int) -> None:
    assert ALWAYS.target_for(channel, priority).first_response_s == first_response_s


def test_no_matching_target_is_an_error() -> None:
    policy = SlaPolicy("x only", (TARGETS[1],), BusinessHours.always_open())
    with pytest.raises(SlaError, match="no target"):
        policy.target_for("email", "normal")


def test_warning_threshold_is_the_earlier_of_fraction_and_seconds_before() -> None:
    assert ALWAYS.warn_after_s(HOUR) == 48 * MIN
    policy = SlaPolicy("p", TARGETS, BusinessHours.always_open(), warn_fraction=None, warn_before_s=5 * MIN)
    assert policy.warn_after_s(HOUR) == 55 * MIN
    both = SlaPolicy("p", TARGETS, BusinessHours.always_open(), warn_fraction=0.9, warn_before_s=15 * MIN)
    assert both.warn_after_s(HOUR) == 45 * MIN


# --- first response -------------------------------------------------------------------------------


def test_first_response_ok_warning_breached_to_the_second() -> None:
    state = start_sla(ALWAYS, "email", "normal", T0)
    status = case_status(state, at(10))[FR]
    assert (status.state, status.elapsed_s, status.remaining_s) == (ClockState.OK, 600, 3000)
    assert status.deadline == at(60)
    assert status.warning_at == at(48)
    assert states(state, at(48) - timedelta(seconds=1))[FR] is ClockState.OK
    assert states(state, at(48))[FR] is ClockState.WARNING
    assert states(state, at(60))[FR] is ClockState.WARNING
    breached = case_status(state, at(60) + timedelta(seconds=1))[FR]
    assert breached.state is ClockState.BREACHED
    assert breached.remaining_s == -1


def test_reply_in_time_is_met_and_late_reply_stays_breached() -> None:
    in_time = run(start_sla(ALWAYS, "email", "normal", T0), AgentReply(at(59)))
    assert states(in_time, at(600))[FR] is ClockState.MET
    late = run(start_sla(ALWAYS, "email", "normal", T0), AgentReply(at(61)))
    status = case_status(late, at(600))[FR]
    assert status.state is ClockState.BREACHED
    assert status.finished_at == at(61)
    assert status.elapsed_s == 61 * MIN


def test_business_hours_deadline_rolls_over_the_weekend() -> None:
    friday = datetime(2024, 5, 10, 16, 30, tzinfo=ZoneInfo("America/New_York"))
    state = start_sla(OFFICE, "email", "normal", friday)
    status = case_status(state, friday)[FR]
    assert status.deadline == datetime(2024, 5, 13, 9, 30, tzinfo=ZoneInfo("America/New_York"))
    saturday = friday + timedelta(days=1)
    assert case_status(state, saturday)[FR].elapsed_s == 30 * MIN
    assert states(state, saturday)[FR] is ClockState.OK  # 30 of 60 minutes: not yet warning
    # A reply after hours but before the deadline is on time.
    replied = apply(state, AgentReply(saturday))
    assert states(replied, saturday)[FR] is ClockState.MET


def test_reply_after_closing_but_past_deadline_is_breached() -> None:
    monday = datetime(2024, 5, 13, 16, 30, tzinfo=ZoneInfo("America/New_York"))
    state = start_sla(OFFICE, "x", "normal", monday)  # 30 minutes: deadline 17:00
    late = apply(state, AgentReply(monday + timedelta(minutes=45)))
    assert states(late, monday + timedelta(hours=1))[FR] is ClockState.BREACHED


# --- pause and resume -----------------------------------------------------------------------------


def test_pending_customer_pauses_and_extends_deadlines() -> None:
    state = run(start_sla(ALWAYS, "email", "normal", T0), AgentReply(at(10)), PendingCustomer(at(60)))
    paused = case_status(state, at(300))[RES]
    assert paused.state is ClockState.PAUSED
    assert paused.elapsed_s == HOUR
    assert paused.deadline is None
    resumed = apply(state, CustomerMessage(at(180)))  # paused for two hours
    status = case_status(resumed, at(180))[RES]
    assert status.state is ClockState.OK
    assert status.deadline == at(8 * 60 + 120)
    assert status.elapsed_s == HOUR


def test_pause_in_business_hours_extends_by_business_time_only() -> None:
    ny = ZoneInfo("America/New_York")
    opened = datetime(2024, 5, 13, 9, 0, tzinfo=ny)
    state = run(
        start_sla(OFFICE, "email", "normal", opened),
        AgentReply(opened + timedelta(minutes=5)),
        PendingCustomer(datetime(2024, 5, 13, 13, 0, tzinfo=ny)),  # 4 h of resolution used
        CustomerMessage(datetime(2024, 5, 14, 10, 0, tzinfo=ny)),  # back after 18 h, 1 business h
    )
    status = case_status(state, datetime(2024, 5, 14, 10, 0, tzinfo=ny))[RES]
    assert status.elapsed_s == 4 * HOUR
    assert status.deadline == datetime(2024, 5, 14, 14, 0, tzinfo=ny)


def test_breach_before_pause_stays_breached_while_paused() -> None:
    state = run(start_sla(ALWAYS, "email", "normal", T0), PendingCustomer(at(90)))
    assert states(state, at(100))[FR] is ClockState.BREACHED


# --- next response ---------------------------------------------------------------------------------


def test_next_response_starts_when_the_answered_customer_writes_again() -> None:
    state = run(start_sla(ALWAYS, "email", "normal", T0), CustomerMessage(at(1)), AgentReply(at(5)))
    assert NR not in case_status(state, at(6))  # a second message before the reply starts nothing
    state = run(state, CustomerMessage(at(20)), CustomerMessage(at(25)))
    status = case_status(state, at(30))[NR]
    assert (status.started_at, status.deadline) == (at(20), at(50))
    state = apply(state, AgentReply(at(45)))
    assert states(state, at(46))[NR] is ClockState.MET
    state = apply(state, CustomerMessage(at(60)))
    assert case_status(state, at(60))[NR].started_at == at(60)


def test_next_response_waits_for_first_response() -> None:
    state = run(start_sla(ALWAYS, "email", "normal", T0), CustomerMessage(at(5)))
    assert NR not in case_status(state, at(6))


def test_customer_reply_after_pending_resumes_and_starts_next_response() -> None:
    state = run(
        start_sla(ALWAYS, "email", "normal", T0),
        AgentReply(at(5)),
        PendingCustomer(at(5)),
        CustomerMessage(at(120)),
    )
    assert state.phase is CasePhase.OPEN
    assert states(state, at(121)) == {FR: ClockState.MET, NR: ClockState.OK, RES: ClockState.OK}
    assert case_status(state, at(121))[RES].elapsed_s == 6 * MIN


def test_next_response_does_not_run_after_resolution() -> None:
    state = run(
        start_sla(ALWAYS, "email", "normal", T0),
        AgentReply(at(5)),
        CustomerMessage(at(10)),
        Resolved(at(20)),
    )
    later = at(24 * 60)
    assert states(state, later) == {FR: ClockState.MET, NR: ClockState.STOPPED, RES: ClockState.MET}
    assert case_status(state, later)[NR].elapsed_s == 10 * MIN
    assert next_check_at(state, later) is None
    with pytest.raises(SlaError, match="not allowed while the case is resolved"):
        apply(state, CustomerMessage(at(30)))
    # Reopening resumes resolution only; next response restarts with the customer's next message.
    reopened = apply(state, Reopened(at(60)))
    assert states(reopened, at(70))[NR] is ClockState.STOPPED
    assert case_status(reopened, at(70))[RES].elapsed_s == 30 * MIN
    written = apply(reopened, CustomerMessage(at(70)))
    assert case_status(written, at(71))[NR].started_at == at(70)


def test_resolution_without_reply_stops_first_response() -> None:
    state = run(start_sla(ALWAYS, "email", "normal", T0), Resolved(at(10)))
    assert states(state, at(100)) == {FR: ClockState.STOPPED, RES: ClockState.MET}
    reopened = apply(state, Reopened(at(100)))
    status = case_status(reopened, at(100))[FR]
    assert (status.state, status.elapsed_s, status.deadline) == (ClockState.OK, 10 * MIN, at(150))


# --- priority, ordering, transitions --------------------------------------------------------------


def test_priority_change_retargets_live_clocks() -> None:
    state = run(start_sla(ALWAYS, "email", "normal", T0), PriorityChanged(at(10), "urgent"))
    status = case_status(state, at(10))[FR]
    assert (status.target_s, status.deadline) == (15 * MIN, at(15))
    assert states(state, at(16))[FR] is ClockState.BREACHED
    assert state.priority == "urgent"


def test_events_must_come_in_time_order() -> None:
    state = apply(start_sla(ALWAYS, "email", "normal", T0), AgentReply(at(10)))
    with pytest.raises(SlaError, match="before the last one"):
        apply(state, CustomerMessage(at(5)))


def test_invalid_transitions_raise() -> None:
    state = start_sla(ALWAYS, "email", "normal", T0)
    with pytest.raises(SlaError):
        apply(state, Reopened(at(1)))
    pending = apply(state, PendingCustomer(at(1)))
    with pytest.raises(SlaError):
        apply(pending, PendingCustomer(at(2)))


def test_naive_timestamps_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        start_sla(ALWAYS, "email", "normal", datetime(2024, 1, 1))  # noqa: DTZ001 (naive on purpose: refused)


def test_next_check_at_is_the_next_warning_or_breach() -> None:
    state = start_sla(ALWAYS, "email", "normal", T0)
    assert next_check_at(state, T0) == at(48)
    assert next_check_at(state, at(50)) == at(60) + timedelta(seconds=1)
    assert next_check_at(state, at(61)) == at(8 * 60 * 0.8)


# --- escalations ------------------------------------------------------------------------------------

RULES = (
    EscalationRule("fr-warn", ClockState.WARNING, FR, (EscalationAction.NOTIFY_SUPERVISOR,)),
    EscalationRule("fr-breach", ClockState.BREACHED, FR, (EscalationAction.REASSIGN,)),
    EscalationRule("nr-breach", ClockState.BREACHED, NR, (EscalationAction.RAISE_PRIORITY,)),
)


def test_escalations_fire_once_each() -> None:
    state = start_sla(ALWAYS, "email", "normal", T0)
    assert due_escalations(state, RULES, at(10), ()) == []
    warn = due_escalations(state, RULES, at(50), ())
    assert [e.rule_id for e in warn] == ["fr-warn"]
    fired = {e.key for e in warn}
    breach = due_escalations(state, RULES, at(61), fired)
    assert [e.rule_id for e in breach] == ["fr-breach"]
    fired |= {e.key for e in breach}
    assert due_escalations(state, RULES, at(90), fired) == []


def test_late_check_fires_warning_and_breach_together() -> None:
    state = start_sla(ALWAYS, "email", "normal", T0)
    assert [e.rule_id for e in due_escalations(state, RULES, at(120), ())] == ["fr-warn", "fr-breach"]


def test_met_clocks_do_not_escalate_and_each_next_response_clock_escalates_again() -> None:
    state = run(start_sla(ALWAYS, "email", "normal", T0), AgentReply(at(5)), CustomerMessage(at(10)))
    first = due_escalations(state, RULES, at(45), ())
    assert [(e.rule_id, e.actions) for e in first] == [("nr-breach", (EscalationAction.RAISE_PRIORITY,))]
    state = run(state, AgentReply(at(50)), CustomerMessage(at(60)))
    second = due_escalations(state, RULES, at(100), {e.key for e in first})
    assert [e.rule_id for e in second] == ["nr-breach"]
    assert second[0].key != first[0].key


def test_escalation_rule_validation() -> None:
    with pytest.raises(ValueError, match="warning or breached"):
        EscalationRule("r", ClockState.MET, FR, (EscalationAction.REASSIGN,))
