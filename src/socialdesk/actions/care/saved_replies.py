"""Saved replies: personal, team or workspace-wide canned answers, searched and rendered for a
conversation."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from socialdesk.actions.care.audit import record, record_config_change
from socialdesk.actions.inbox.conversations import access_conversation_by_id
from socialdesk.domain.care import render_template
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.people import User
from socialdesk.ports.care import SavedReply
from socialdesk.ports.uow import UnitOfWork

MAX_SAVED_TITLE = 200


_AT_HANDLE = re.compile(r"@+(?=\{\{\s*customer\.handle\s*\}\})")


def _teams_of(uow: UnitOfWork, user: User) -> set[int]:
    return {team for team, members in uow.teams.members(user.workspace_id).items() if user.id in members}


def check_add_saved_reply(
    uow: UnitOfWork, user: User, title: str, body: str, scope: str, team_id: int | None, now: datetime
) -> SavedReply:
    """``personal`` (yours), ``team`` (a team you are in) or ``workspace`` (everyone; admins)."""
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise ValidationFailed("a saved reply needs a title and a body")
    owner: int | None = None
    if scope == "personal":
        owner, team_id = user.id, None
    elif scope == "team":
        if team_id is None or uow.teams.get(user.workspace_id, team_id) is None:
            raise NotFound(f"team {team_id}")
        if not user.is_admin and team_id not in _teams_of(uow, user):
            raise PermissionDenied("only members of the team (or admins) add its saved replies")
    elif scope == "workspace":
        if not user.is_admin:
            raise PermissionDenied("only admins add saved replies for everyone")
        team_id = None
    else:
        raise ValidationFailed("scope: personal, team or workspace")
    saved = uow.saved_replies.add(user.workspace_id, owner, team_id, title, body)
    record(uow, user.workspace_id, now, user.id, "saved_reply_added", saved_reply_id=saved.id, scope=scope)
    return saved


def _scope(reply: SavedReply) -> str:
    return "personal" if reply.owner_id is not None else "team" if reply.team_id is not None else "workspace"


def _manageable_saved_reply(uow: UnitOfWork, user: User, reply_id: int, what: str) -> SavedReply:
    """A saved reply the user may change: their own, their team's (or any team's, for admins), or
    everyone's (admins only), as for adding it. One they cannot even use is not found."""
    saved = uow.saved_replies.get(user.workspace_id, reply_id)
    if saved is None or (saved.owner_id is not None and saved.owner_id != user.id):
        raise NotFound(f"saved reply {reply_id}")
    if saved.team_id is not None and not user.is_admin and saved.team_id not in _teams_of(uow, user):
        raise NotFound(f"saved reply {reply_id}")
    if saved.owner_id is None and saved.team_id is None and not user.is_admin:
        raise PermissionDenied(f"only admins {what} saved replies for everyone")
    return saved


def _saved_state(reply: SavedReply) -> dict[str, object]:
    return {"title": reply.title, "body": reply.body, "scope": _scope(reply), "team_id": reply.team_id}


def check_update_saved_reply(
    uow: UnitOfWork, user: User, reply_id: int, title: str | None, body: str | None, now: datetime
) -> SavedReply:
    """Change a saved reply's title and/or body (None: keep); who may, as for adding it."""
    saved = _manageable_saved_reply(uow, user, reply_id, "change")
    new_title = title.strip() if title is not None else saved.title
    new_body = body.strip() if body is not None else saved.body
    if not new_title or not new_body:
        raise ValidationFailed("a saved reply needs a title and a body")
    if len(new_title) > MAX_SAVED_TITLE:
        raise ValidationFailed(f"a saved reply's title has at most {MAX_SAVED_TITLE} characters")
    changed = replace(saved, title=new_title, body=new_body)
    if changed == saved:
        return saved
    return do_update_saved_reply(uow, user, saved, changed, now)


def do_update_saved_reply(
    uow: UnitOfWork, user: User, before: SavedReply, after: SavedReply, now: datetime
) -> SavedReply:
    uow.saved_replies.update(after)
    record_config_change(
        uow,
        user,
        now,
        "saved_reply_changed",
        saved_reply_id=before.id,
        before=_saved_state(before),
        after=_saved_state(after),
    )
    return after


def check_delete_saved_reply(uow: UnitOfWork, user: User, reply_id: int, now: datetime) -> SavedReply:
    saved = _manageable_saved_reply(uow, user, reply_id, "delete")
    return do_delete_saved_reply(uow, user, saved, now)


def do_delete_saved_reply(uow: UnitOfWork, user: User, saved: SavedReply, now: datetime) -> SavedReply:
    uow.saved_replies.delete(user.workspace_id, saved.id)
    record_config_change(
        uow, user, now, "saved_reply_deleted", saved_reply_id=saved.id, before=_saved_state(saved), after=None
    )
    return saved


def manageable_saved_replies(uow: UnitOfWork, user: User, replies: list[SavedReply]) -> set[int]:
    """Which of these saved replies the user may change and delete (as for adding them)."""
    teams = _teams_of(uow, user)
    return {
        r.id
        for r in replies
        if r.owner_id == user.id
        or (r.owner_id is None and (user.is_admin or (r.team_id is not None and r.team_id in teams)))
    }


def search_saved_replies(uow: UnitOfWork, user: User, q: str | None) -> list[SavedReply]:
    """The saved replies the user may use (own, their teams', everyone's) whose title or body has ``q``."""
    teams = _teams_of(uow, user)
    needle = (q or "").casefold()
    return [
        r
        for r in uow.saved_replies.list(user.workspace_id)
        if (r.owner_id == user.id or (r.owner_id is None and (r.team_id is None or r.team_id in teams)))
        and (needle in r.title.casefold() or needle in r.body.casefold())
    ]


def render_saved_reply(uow: UnitOfWork, user: User, reply_id: int, conversation_id: int) -> str:
    """The saved reply with ``{{customer.name}}``, ``{{customer.handle}}`` (with one "@", whether or
    not the template writes one before it), ``{{agent.name}}`` and ``{{agent.signature}}`` filled in
    for one conversation."""
    conv = access_conversation_by_id(uow, user, conversation_id)
    saved = next((r for r in search_saved_replies(uow, user, None) if r.id == reply_id), None)
    if saved is None:
        raise NotFound(f"saved reply {reply_id}")
    handle = conv.author_handle.lstrip("@")
    values = {
        "customer.name": conv.author_name or handle,
        "customer.handle": f"@{handle}" if handle else "",
        "agent.name": user.name,
        "agent.signature": user.signature,
    }
    # The variable brings its own "@": a template written "@{{customer.handle}}" must not double it.
    return render_template(_AT_HANDLE.sub("", saved.body), values)
