"""Macros: a saved reply that also sets tags, status, assignment and a follow-up, applied to a
conversation at one click or key.

Admins and team leads manage them (`roles.check_macros_allowed`); every agent applies them. Applying one
goes through the actions an agent would use by hand, in the caller's one unit of work, so a refusal
(a reply too long for the channel, a closed case) leaves nothing half-done: the reply through
`check_reply` (the outbox, or an approver for a trainee or a matching approval rule) with the
follow-up in the promise ledger, then `check_change_tags`, `check_assign_case` and
`check_change_case_status`; each is audited as usual, and `macro_applied` names the macro.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from socialdesk.actions.care_audit import record, record_config_change
from socialdesk.actions.care_follow_ups import check_create_follow_up
from socialdesk.actions.care_routing import check_assign_case
from socialdesk.actions.case_tags import check_change_tags, current_case
from socialdesk.actions.cases import check_change_case_status
from socialdesk.actions.conversations import access_conversation_by_id
from socialdesk.actions.replies import MAX_REPLY_CHARS, ReplyResult, check_reply
from socialdesk.actions.roles import check_macros_allowed
from socialdesk.domain.care import render_template
from socialdesk.domain.case import CaseStatus
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.domain.people import User
from socialdesk.domain.tags import normalize_tags
from socialdesk.ports import UnitOfWork
from socialdesk.ports_desk import Macro, MacroFields

MAX_NAME = 80
MAX_FOLLOW_UP_HOURS = 24 * 30
# Statuses a macro may set: "new" is where cases start, never where an agent puts one.
MACRO_STATUSES = tuple(s for s in CaseStatus if s is not CaseStatus.NEW)
_AT_HANDLE = re.compile(r"@+(?=\{\{\s*customer\.handle\s*\}\})")


@dataclass(frozen=True, slots=True)
class MacroApplied:
    macro: Macro
    reply: ReplyResult | None  # None: the macro has no reply text
    tags: tuple[str, ...] | None  # the case's tags after, when the macro set some


def list_macros(uow: UnitOfWork, user: User) -> list[Macro]:
    return uow.macros.list(user.workspace_id)


def access_macro(uow: UnitOfWork, user: User, macro_id: int) -> Macro:
    macro = uow.macros.get(user.workspace_id, macro_id)
    if macro is None:
        raise NotFound(f"macro {macro_id}")
    return macro


def check_macro_fields(
    uow: UnitOfWork, user: User, fields: MacroFields, macro_id: int | None = None
) -> MacroFields:
    """The fields checked and tidied; ValidationFailed says which is wrong."""
    name = " ".join(fields.name.split())
    if not name or len(name) > MAX_NAME:
        raise ValidationFailed(f"name: 1 to {MAX_NAME} characters")
    clash = uow.macros.get_by_name(user.workspace_id, name)
    if clash is not None and clash.id != macro_id:
        raise ValidationFailed(f"name: a macro named {name!r} exists already")
    body = fields.body.strip()
    if len(body) > MAX_REPLY_CHARS:
        raise ValidationFailed(f"reply: {len(body):,} characters; at most {MAX_REPLY_CHARS:,}")
    if fields.status is not None and fields.status not in {s.value for s in MACRO_STATUSES}:
        choices = ", ".join(s.value for s in MACRO_STATUSES)
        raise ValidationFailed(f"status {fields.status!r}: expected one of {choices}")
    _check_assign(uow, user, fields.assign)
    hours = fields.follow_up_hours
    if hours is not None and not 1 <= hours <= MAX_FOLLOW_UP_HOURS:
        raise ValidationFailed(f"follow-up: 1 to {MAX_FOLLOW_UP_HOURS} hours after the macro is applied")
    tidy = MacroFields(name, body, normalize_tags(fields.tags), fields.status, fields.assign, hours)
    if not (body or tidy.tags or tidy.status or tidy.assign or hours):
        raise ValidationFailed(
            "a macro must do something: a reply, tags, a status, an assignment or a follow-up"
        )
    return tidy


def _check_assign(uow: UnitOfWork, user: User, assign: str | None) -> None:
    if assign is None or assign in ("me", "nobody"):
        return
    if not assign.isdigit() or len(assign) > 18:
        raise ValidationFailed(f"assign {assign!r}: expected me, nobody or a colleague")
    found = uow.users.get(user.workspace_id, int(assign))
    if found is None or not found.is_active:
        raise ValidationFailed(f"assign: user {assign} is not an active colleague")


def _state(fields: MacroFields) -> dict[str, object]:
    state = asdict(fields)
    state["tags"] = list(fields.tags)
    state["body"] = f"{len(fields.body)} characters"  # the audit says that the reply changed, briefly
    return state


def check_create_macro(uow: UnitOfWork, user: User, fields: MacroFields, now: datetime) -> Macro:
    check_macros_allowed(user)
    tidy = check_macro_fields(uow, user, fields)
    macro = uow.macros.add(user.workspace_id, tidy, user.id if user.id > 0 else None, now)
    record_config_change(uow, user, now, "macro.changed", before=None, after=_state(tidy), macro_id=macro.id)
    return macro


def check_update_macro(
    uow: UnitOfWork, user: User, macro_id: int, fields: MacroFields, now: datetime
) -> Macro:
    check_macros_allowed(user)
    macro = access_macro(uow, user, macro_id)
    tidy = check_macro_fields(uow, user, fields, macro_id)
    uow.macros.update(user.workspace_id, macro.id, tidy, now)
    before, after = _state(macro.fields), _state(tidy)
    if macro.fields.body != tidy.body:
        after["body"] = f"{len(tidy.body)} characters (changed)"
    record_config_change(uow, user, now, "macro.changed", before=before, after=after, macro_id=macro.id)
    return Macro(macro.id, macro.workspace_id, tidy, macro.created_by, now)


def check_delete_macro(uow: UnitOfWork, user: User, macro_id: int, now: datetime) -> Macro:
    check_macros_allowed(user)
    macro = access_macro(uow, user, macro_id)
    uow.macros.delete(user.workspace_id, macro.id)
    record_config_change(
        uow, user, now, "macro.changed", before=_state(macro.fields), after=None, macro_id=macro.id
    )
    return macro


def check_apply_macro(
    uow: UnitOfWork, user: User, macro_id: int, conversation_id: int, now: datetime
) -> MacroApplied:
    """Apply the macro to the conversation (see the module's doc); the caller's block commits it all."""
    macro = access_macro(uow, user, macro_id)
    conv = access_conversation_by_id(uow, user, conversation_id)
    f = macro.fields
    follow_up = None
    if f.follow_up_hours:
        follow_up = (now + timedelta(hours=f.follow_up_hours), f"Follow-up set by the macro {f.name!r}")
    reply = None
    if f.body:
        text = render_template(
            _AT_HANDLE.sub("", f.body), _values(user, conv.author_name, conv.author_handle)
        )
        reply = check_reply(uow, user, conv.id, text, None, now, follow_up=follow_up)
    elif follow_up is not None:
        check_create_follow_up(uow, user, conv.id, follow_up[0], follow_up[1], now)
    tags = check_change_tags(uow, user, conv.id, now, add=f.tags) if f.tags else None
    if f.assign is not None:
        case = current_case(uow, user, conv.id)
        assignee = {"me": user.id, "nobody": None}.get(
            f.assign, int(f.assign) if f.assign.isdigit() else None
        )
        if case.assignee_id != assignee:
            check_assign_case(uow, user, case.id, assignee, now)
    if f.status is not None:
        case = current_case(uow, user, conv.id)
        if case.status.value != f.status:
            check_change_case_status(uow, user, case.id, CaseStatus(f.status), now)
    record(
        uow,
        user.workspace_id,
        now,
        user.id,
        "macro_applied",
        conversation_id=conv.id,
        macro_id=macro.id,
        macro=f.name,
    )
    return MacroApplied(macro, reply, tags)


def _values(user: User, author_name: str, author_handle: str) -> dict[str, str]:
    handle = author_handle.lstrip("@")
    return {
        "customer.name": author_name or handle,
        "customer.handle": f"@{handle}" if handle else "",
        "agent.name": user.name,
        "agent.signature": user.signature,
    }
