"""Workspace-wide spam rules (admins) and agents' one-click triage corrections (every agent, trainees
included: a correction changes labels, never what a customer sees)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from socialdesk.actions.accounts.roles import require_admin
from socialdesk.actions.care.audit import record, record_config_change
from socialdesk.actions.inbox.conversation_urgency import do_follow_triage_correction
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.noise import SpamRule, SpamRuleKind
from socialdesk.domain.people import User
from socialdesk.ports.listening import Feedback
from socialdesk.ports.uow import UnitOfWork
from socialdesk.triage.urgency import Labels, relabel_urgency

CORRECTABLE: dict[str, tuple[str, ...]] = {
    "category": ("complaint", "question", "outage_report", "praise", "feedback", "spam", "other"),
    "sentiment": ("negative", "neutral", "positive"),
    "needs_reply": ("true", "false"),
}


def _spam_state(rule: SpamRule) -> dict[str, Any]:
    return {"kind": rule.kind.value, "value": rule.value}


def check_add_spam_rule(uow: UnitOfWork, user: User, kind: str, value: str, now: datetime) -> SpamRule:
    """Admins only: a spam rule hides every matching post from the inbox."""
    require_admin(user, "change spam rules")
    try:
        rule_kind = SpamRuleKind(kind)
    except ValueError:
        kinds = ", ".join(k.value for k in SpamRuleKind)
        raise ValidationFailed(f"spam rule kind {kind!r}: one of {kinds}") from None
    cleaned = value.strip().lstrip("@") if rule_kind is SpamRuleKind.AUTHOR else value.strip()
    if not cleaned or len(cleaned) > 200:
        raise ValidationFailed("spam rule value: 1 to 200 characters")
    if any(
        r.kind is rule_kind and r.value.casefold() == cleaned.casefold()
        for r in uow.rules.spam_rules(user.workspace_id)
    ):
        raise ValidationFailed(f"spam rule {rule_kind.value}:{cleaned} already exists")
    return do_add_spam_rule(uow, user, rule_kind, cleaned, now)


def do_add_spam_rule(uow: UnitOfWork, user: User, kind: SpamRuleKind, value: str, now: datetime) -> SpamRule:
    rule = uow.rules.add_spam_rule(user.workspace_id, kind, value, now)
    record_config_change(
        uow, user, now, "spam_rule_added", spam_rule_id=rule.id, before=None, after=_spam_state(rule)
    )
    return rule


def check_delete_spam_rule(uow: UnitOfWork, user: User, rule_id: int, now: datetime) -> None:
    """Admins only; another workspace's rule is "not found"."""
    require_admin(user, "change spam rules")
    rule = next((r for r in uow.rules.spam_rules(user.workspace_id) if r.id == rule_id), None)
    if rule is None:
        raise NotFound(f"spam rule {rule_id}")
    do_delete_spam_rule(uow, user, rule, now)


def do_delete_spam_rule(uow: UnitOfWork, user: User, rule: SpamRule, now: datetime) -> None:
    if not uow.rules.delete_spam_rule(user.workspace_id, rule.id):
        raise NotFound(f"spam rule {rule.id}")
    record_config_change(
        uow, user, now, "spam_rule_removed", spam_rule_id=rule.id, before=_spam_state(rule), after=None
    )


def check_correct_triage(
    uow: UnitOfWork, user: User, message_id: int, field: str, label: str, now: datetime
) -> dict[str, Any]:
    """Store an agent's correction of one triage label and show it on the message at once."""
    if field not in CORRECTABLE:
        raise ValidationFailed(f"field {field!r}: one of {', '.join(CORRECTABLE)}")
    if label not in CORRECTABLE[field]:
        raise ValidationFailed(f"{field} {label!r}: one of {', '.join(CORRECTABLE[field])}")
    message = uow.messages.get(user.workspace_id, message_id)
    if message is None:
        raise NotFound(f"message {message_id}")
    before = dict(message.triage or {})
    triage = dict(before)
    triage[field] = label == "true" if field == "needs_reply" else label
    triage["corrected"] = sorted({*triage.get("corrected", []), field})
    if "urgency" in before:
        triage.update(_rescored(before, triage))
    uow.messages.set_triage(user.workspace_id, message_id, triage)
    uow.rules.add_feedback(user.workspace_id, message_id, user.id, field, label, now)
    conv = (
        uow.conversations.get(user.workspace_id, message.conversation_id) if message.conversation_id else None
    )
    record(
        uow, user.workspace_id, now, user.id, "triage_corrected", conversation_id=message.conversation_id,
        case_id=conv.current_case_id if conv else None, message_id=message_id, field=field,
        before={field: before.get(field), "urgency": before.get("urgency")},
        after={field: triage[field], "urgency": triage.get("urgency")},
    )  # fmt: skip
    if message.conversation_id is not None:
        do_follow_triage_correction(uow, user, message.conversation_id, field, triage, now)
        uow.emit(
            Event(
                user.workspace_id,
                EventKind.CONVERSATION_UPDATED,
                {"conversation_id": message.conversation_id},
            )
        )
    return triage


def _labels(triage: dict[str, Any]) -> Labels:
    return Labels(
        str(triage.get("category") or "other"),
        str(triage.get("sentiment") or "neutral"),
        triage.get("needs_reply") is not False,
    )


def _rescored(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The urgency (and its explanation line) after an agent's correction of the labels."""
    explanation = [str(line) for line in before.get("explanation") or []]
    parts = relabel_urgency(int(before["urgency"]), explanation, _labels(before), _labels(after))
    kept = [line for line in explanation if not line.startswith("urgency ")]
    return {"urgency": parts.score, "explanation": [*kept, *parts.reasons]}


def export_feedback(uow: UnitOfWork, workspace_id: int | None) -> list[Feedback]:
    return uow.rules.feedback(workspace_id)
