"""SLA state as JSON: cases store their :class:`CaseSla` (policy snapshot included) in one column.

Also builds :class:`SlaPolicy` and :class:`BusinessHours` from the JSON shapes workspaces configure, and
sums a case's clocks up into one state the inbox can filter on.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from socialdesk.domain.business_hours import BusinessHours, OpenInterval
from socialdesk.domain.sla import CasePhase, CaseSla, ClockState, SlaClock, case_status
from socialdesk.domain.sla_escalation import EscalationAction, EscalationRule
from socialdesk.domain.sla_policy import ClockKind, SlaPolicy, SlaTarget

__all__ = [
    "escalation_rules_from_json",
    "hours_from_json",
    "policy_from_json",
    "sla_from_json",
    "sla_to_json",
    "summary_state",
]


def hours_from_json(data: Mapping[str, Any] | None) -> BusinessHours:
    """``{"timezone", "schedule": {"mon-fri": "09:00-17:00"}, "holidays": ["2026-12-25"]}``; None: 24/7."""
    if not data:
        return BusinessHours.always_open()
    holidays = [date.fromisoformat(str(d)) for d in data.get("holidays", ())]
    schedule = data.get("schedule")
    timezone = str(data.get("timezone", "UTC"))
    if not schedule:
        return BusinessHours(timezone, BusinessHours.always_open().weekly, frozenset(holidays))
    return BusinessHours.from_spec(timezone, schedule, holidays)


def _hours_to_json(hours: BusinessHours) -> dict[str, Any]:
    return {
        "timezone": hours.timezone,
        "weekly": [[[i.start_s, i.end_s] for i in day] for day in hours.weekly],
        "holidays": sorted(d.isoformat() for d in hours.holidays),
    }


def _hours_from_state(data: Mapping[str, Any]) -> BusinessHours:
    weekly = tuple(tuple(OpenInterval(a, b) for a, b in day) for day in data["weekly"])
    holidays = frozenset(date.fromisoformat(d) for d in data["holidays"])
    return BusinessHours(data["timezone"], weekly, holidays)


def _target_from_json(t: Mapping[str, Any]) -> SlaTarget:
    return SlaTarget(
        channel=t.get("channel"),
        priority=t.get("priority"),
        first_response_s=int(t["first_response_s"]),
        next_response_s=int(t["next_response_s"]),
        resolution_s=int(t["resolution_s"]),
    )


def policy_from_json(data: Mapping[str, Any], hours: BusinessHours) -> SlaPolicy:
    """A workspace's policy (``{"name", "targets": [...], "warn_fraction", "warn_before_s"}``)."""
    return SlaPolicy(
        name=str(data.get("name", "default")),
        targets=tuple(_target_from_json(t) for t in data.get("targets", ())),
        hours=hours,
        warn_fraction=data.get("warn_fraction", 0.8),
        warn_before_s=data.get("warn_before_s"),
    )


def escalation_rules_from_json(data: Mapping[str, Any]) -> list[EscalationRule]:
    return [
        EscalationRule(
            id=str(r["id"]),
            when=ClockState(r["when"]),
            clock=ClockKind(r["clock"]),
            actions=tuple(EscalationAction(a) for a in r["actions"]),
        )
        for r in data.get("escalations", ())
    ]


def _dt(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _undt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _clock_to_json(c: SlaClock) -> dict[str, Any]:
    return {
        "kind": c.kind.value,
        "target_s": c.target_s,
        "started_at": c.started_at.isoformat(),
        "elapsed_s": c.elapsed_s,
        "running_since": _dt(c.running_since),
        "met_at": _dt(c.met_at),
        "stopped_at": _dt(c.stopped_at),
        "breached_at": _dt(c.breached_at),
    }


def _clock_from_json(d: Mapping[str, Any]) -> SlaClock:
    return SlaClock(
        kind=ClockKind(d["kind"]),
        target_s=int(d["target_s"]),
        started_at=datetime.fromisoformat(d["started_at"]),
        elapsed_s=int(d["elapsed_s"]),
        running_since=_undt(d["running_since"]),
        met_at=_undt(d["met_at"]),
        stopped_at=_undt(d["stopped_at"]),
        breached_at=_undt(d["breached_at"]),
    )


def sla_to_json(state: CaseSla) -> dict[str, Any]:
    p = state.policy
    return {
        "policy": {
            "name": p.name,
            "targets": [
                {
                    "channel": t.channel,
                    "priority": t.priority,
                    "first_response_s": t.first_response_s,
                    "next_response_s": t.next_response_s,
                    "resolution_s": t.resolution_s,
                }
                for t in p.targets
            ],
            "warn_fraction": p.warn_fraction,
            "warn_before_s": p.warn_before_s,
            "hours": _hours_to_json(p.hours),
        },
        "channel": state.channel,
        "priority": state.priority,
        "phase": state.phase.value,
        "awaiting_reply": state.awaiting_reply,
        "first_response": _clock_to_json(state.first_response),
        "resolution": _clock_to_json(state.resolution),
        "next_response": None if state.next_response is None else _clock_to_json(state.next_response),
        "updated_at": state.updated_at.isoformat(),
    }


def sla_from_json(data: Mapping[str, Any]) -> CaseSla:
    p = data["policy"]
    policy = policy_from_json(p, _hours_from_state(p["hours"]))
    nxt = data["next_response"]
    return CaseSla(
        policy=policy,
        channel=data["channel"],
        priority=data["priority"],
        phase=CasePhase(data["phase"]),
        awaiting_reply=bool(data["awaiting_reply"]),
        first_response=_clock_from_json(data["first_response"]),
        resolution=_clock_from_json(data["resolution"]),
        next_response=None if nxt is None else _clock_from_json(nxt),
        updated_at=datetime.fromisoformat(data["updated_at"]),
    )


_RANK = {
    ClockState.BREACHED: 5,
    ClockState.WARNING: 4,
    ClockState.OK: 3,
    ClockState.PAUSED: 2,
}


def summary_state(state: CaseSla, now: datetime) -> str:
    """The worst state among the clocks still live at ``now``: breached, warning, ok, paused or done.

    ``warning`` is what the inbox calls *at risk*. Met or stopped clocks do not count, so a case whose
    late first response has been given is no longer listed as breached.
    """
    live = [s.state for s in case_status(state, now).values() if s.finished_at is None]
    return max(live, key=lambda st: _RANK.get(st, 0)).value if live else "done"
