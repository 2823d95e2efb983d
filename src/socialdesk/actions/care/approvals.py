"""Approvals: replies of trainees, or matching the workspace's approval rules, wait for an approver.

A held reply is a message with delivery ``awaiting_approval`` and no outbox row, so nothing can send
it. Approving (optionally with edited text) queues it like any reply; returning sends nothing back to
the network and tells the agent why.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from socialdesk.actions.accounts.roles import require_care_configuration
from socialdesk.actions.care.approvers import approval_teams, approver_teams, require_approver
from socialdesk.actions.care.audit import record, record_config_change
from socialdesk.actions.care.notifications import notify
from socialdesk.actions.inbox.replies import APPROVAL_RULES, queue_reply, signed_text
from socialdesk.domain.care import ApprovalStatus
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.people import User
from socialdesk.domain.post import Visibility
from socialdesk.domain.user_patterns import UnsupportedPattern, compile_user_pattern
from socialdesk.ports.care import Approval
from socialdesk.ports.uow import UnitOfWork

RULE_KINDS = ("term", "regex", "money")


def check_set_approval_rules(
    uow: UnitOfWork, user: User, rules: list[dict[str, Any]], now: datetime
) -> list[dict[str, Any]]:
    """Terms, patterns or any money amount that make a reply wait for an approver (admins, team leads)."""
    require_care_configuration(user, "change approval rules")
    clean = []
    for rule in rules:
        kind, value = str(rule.get("kind", "")), str(rule.get("value", "")).strip()
        if kind not in RULE_KINDS:
            raise ValidationFailed(f"approval rule kind: one of {', '.join(RULE_KINDS)}")
        if kind != "money" and not value:
            raise ValidationFailed(f"approval rule {kind}: needs a value")
        if kind == "regex":
            try:
                compile_user_pattern(value)
            except UnsupportedPattern as exc:
                raise ValidationFailed(f"approval rule regex {value!r}: {exc}") from None
        clean.append({"kind": kind, "value": value})
    before = uow.settings.get(user.workspace_id, APPROVAL_RULES) or []
    uow.settings.put(user.workspace_id, APPROVAL_RULES, clean, now)
    record_config_change(
        uow, user, now, "approval_rules_changed", before={"rules": before}, after={"rules": clean}
    )
    return clean


def list_approvals(uow: UnitOfWork, user: User, status: ApprovalStatus | None) -> list[Approval]:
    """Every approval for an admin; for a team's approver, those of the teams they approve for."""
    require_approver(uow, user)
    found = uow.approvals.list(user.workspace_id, status)
    if user.is_admin:
        return found
    teams = approver_teams(uow, user)
    of_team = approval_teams(uow, user.workspace_id, found)
    return [a for a in found if of_team[a.id] in teams]


def _pending(uow: UnitOfWork, user: User, approval_id: int) -> Approval:
    require_approver(uow, user)
    approval = uow.approvals.get(user.workspace_id, approval_id)
    if approval is None:
        raise NotFound(f"approval {approval_id}")
    require_approver(uow, user, approval)
    if approval.status is not ApprovalStatus.PENDING:
        raise ValidationFailed(f"approval {approval_id} is already {approval.status}")
    return approval


def check_approve(
    uow: UnitOfWork, user: User, approval_id: int, edited_text: str | None, now: datetime
) -> Approval:
    """Approve a held reply and queue it; with ``edited_text``, that text (signed) is what is sent."""
    approval = _pending(uow, user, approval_id)
    ws = user.workspace_id
    message = uow.messages.get(ws, approval.message_id)
    conv = uow.conversations.get(ws, approval.conversation_id)
    assert message is not None and conv is not None
    text = message.text
    if edited_text is not None and edited_text.strip():
        text = edited_text.strip()
        author = uow.users.get(ws, approval.requested_by)
        if message.visibility is Visibility.PUBLIC:
            text = signed_text(text, author.signature if author else "", conv.channel)
    uow.messages.set_outbound(ws, message.id, text, "pending")
    decided = uow.approvals.decide(ws, approval.id, ApprovalStatus.APPROVED, user.id, "", now)
    message = uow.messages.get(ws, message.id)
    assert message is not None
    queue_reply(uow, approval.requested_by, conv, message, now)
    case = uow.cases.current_for(ws, [conv.id]).get(conv.id)
    record(
        uow,
        ws,
        now,
        user.id,
        "reply_approved",
        case_id=case.id if case else None,
        conversation_id=conv.id,
        approval_id=approval.id,
        message_id=message.id,
        edited=edited_text is not None,
    )
    notify(uow, ws, approval.requested_by, "approval_approved", now, user.id, approval_id=approval.id,
           conversation_id=conv.id, edited=edited_text is not None)  # fmt: skip
    uow.emit(
        Event(ws, EventKind.APPROVAL_DECIDED, {"approval_id": approval.id, "status": ApprovalStatus.APPROVED})
    )
    return decided


def check_return(uow: UnitOfWork, user: User, approval_id: int, comment: str, now: datetime) -> Approval:
    """Send a held reply back to its agent with a comment; nothing goes out."""
    approval = _pending(uow, user, approval_id)
    ws = user.workspace_id
    message = uow.messages.get(ws, approval.message_id)
    assert message is not None
    uow.messages.set_outbound(ws, message.id, message.text, "returned")
    decided = uow.approvals.decide(ws, approval.id, ApprovalStatus.RETURNED, user.id, comment.strip(), now)
    notify(uow, ws, approval.requested_by, "approval_returned", now, user.id, approval_id=approval.id,
           conversation_id=approval.conversation_id, comment=comment.strip())  # fmt: skip
    case = uow.cases.current_for(ws, [approval.conversation_id]).get(approval.conversation_id)
    record(
        uow,
        ws,
        now,
        user.id,
        "reply_returned",
        case_id=case.id if case else None,
        conversation_id=approval.conversation_id,
        approval_id=approval.id,
        comment=comment.strip(),
    )
    uow.emit(
        Event(ws, EventKind.APPROVAL_DECIDED, {"approval_id": approval.id, "status": ApprovalStatus.RETURNED})
    )
    return decided
