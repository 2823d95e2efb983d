"""The reply composer: sending (stale-reply guard, approval, follow-ups), the live character count with
the signed text, the saved-replies picker, and confirming a proposed follow-up.

A sent reply answers with the thread (HTMX) plus, out of band, the composer's notice: "awaiting
approval", a promise to confirm as a follow-up, or the newer messages with a "send anyway" button.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, status
from starlette.responses import Response

from socialdesk.actions.answered_elsewhere import check_answered_elsewhere
from socialdesk.actions.care_follow_ups import check_create_follow_up
from socialdesk.actions.care_saved_replies import render_saved_reply, search_saved_replies
from socialdesk.actions.conversations import access_conversation_by_id
from socialdesk.actions.knowledge_composer import do_mark_sent
from socialdesk.actions.replies import MAX_REPLY_CHARS, check_reply
from socialdesk.actions.reply_preview import compose_preview
from socialdesk.actions.unscripted import NearIdenticalReply, hints_for
from socialdesk.domain.care import PublicReplyNeedsConfirmation, StaleReply
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.domain.people import User
from socialdesk.domain.post import Visibility
from socialdesk.runtime import Runtime
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.inputs import Id, id_from_text
from socialdesk.web.ui import csrf
from socialdesk.web.ui.conversation_view import Notice, conversation_response
from socialdesk.web.ui.responses import flash, forbidden, is_htmx, not_found, page_context, see_other
from socialdesk.web.ui.suggestions_view import Draft, parse_inserts
from socialdesk.web.ui.templating import render

SAVED_SHOWN = 20
MAX_TZ_OFFSET = 16 * 60  # minutes; the widest real offsets are -14 h and +12 h

router = APIRouter()
FormText = Annotated[str, Form()]


@dataclass(frozen=True, slots=True)
class ReplyForm:
    text: str
    visibility: str
    seen_message_id: str
    follow_up_due: str
    follow_up_note: str
    tz_offset: str
    brand_account_id: str = ""
    thread: str = ""
    kb_inserts: str = ""

    def fields(self) -> dict[str, str]:
        """The fields a "send anyway" form carries again (hidden inputs, escaped by the template)."""
        return {
            "text": self.text,
            "visibility": self.visibility,
            "seen_message_id": self.seen_message_id,
            "follow_up_due": self.follow_up_due,
            "follow_up_note": self.follow_up_note,
            "tz_offset": self.tz_offset,
            "brand_account_id": self.brand_account_id,
            "thread": self.thread,
            "kb_inserts": self.kb_inserts,
        }


def follow_up_due(local: str, tz_offset: str) -> datetime | None:
    """A `datetime-local` value typed in the browser's zone; `tz_offset` is JS getTimezoneOffset()
    (minutes to add to local time to get UTC; 0 without JavaScript, so the time is read as UTC)."""
    if not local.strip():
        return None
    try:
        naive = datetime.fromisoformat(local.strip())
        offset = int(tz_offset or "0")
    except ValueError:
        raise ValidationFailed("the follow-up time is not a date and time") from None
    if naive.tzinfo is not None or abs(offset) > MAX_TZ_OFFSET:
        raise ValidationFailed("the follow-up time is not a local date and time")
    try:
        return naive.replace(tzinfo=UTC) + timedelta(minutes=offset)
    except OverflowError:
        raise ValidationFailed("the follow-up time is out of range") from None


def _seen(value: str) -> int | None:
    return id_from_text(value)


@router.post("/conversations/{conversation_id}/reply")
def reply(
    request: Request,
    conversation_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    text: FormText = "",
    visibility: FormText = "",
    seen_message_id: FormText = "",
    confirm_stale: FormText = "",
    confirm_public: FormText = "",
    follow_up_due_at: Annotated[str, Form(alias="follow_up_due")] = "",
    follow_up_note: FormText = "",
    tz_offset: FormText = "0",
    brand_account_id: FormText = "",
    thread: FormText = "",
    kb_inserts: FormText = "",
    confirm_unscripted: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    fields = (seen_message_id, follow_up_due_at, follow_up_note, tz_offset, brand_account_id, thread)
    form = ReplyForm(text, visibility, *fields, kb_inserts=kb_inserts)
    confirms = {"confirm_stale": confirm_stale, "confirm_public": confirm_public}
    error, code, notice = None, status.HTTP_422_UNPROCESSABLE_CONTENT, None
    chosen: Visibility | None = None  # no choice (no radio sent): the conversation's default
    valid = True
    if visibility:
        try:
            chosen = Visibility(visibility)
        except ValueError:
            valid, error = False, "Reply not sent: choose public or private."
    try:
        due = follow_up_due(follow_up_due_at, tz_offset)
        with runtime.uow() as uow:
            if valid:
                result = check_reply(
                    uow,
                    user,
                    conversation_id,
                    text,
                    chosen,
                    runtime.clock.now(),
                    seen_message_id=_seen(seen_message_id),
                    confirm_stale=confirm_stale == "1",
                    confirm_public=confirm_public == "1",
                    follow_up=(due, follow_up_note) if due is not None else None,
                    brand_account_id=_seen(brand_account_id),
                    thread=thread == "1",
                    unscripted_threshold=runtime.settings.unscripted_similarity,
                    confirm_unscripted=confirm_unscripted == "1",
                )
                sent = list(result.thread) or [result.message]
                do_mark_sent(uow, user, conversation_id, parse_inserts(kb_inserts), sent, runtime.clock.now())
                kind = "held" if result.approval is not None else "sent"
                notice = Notice(kind, result.proposed_follow_up, result.approval, follow_up=result.follow_up)
    except NotFound:
        return not_found(user, session, "conversation")
    except StaleReply as stale:
        error, code = "Reply not sent: the conversation changed.", status.HTTP_409_CONFLICT
        notice = Notice("stale", newer=tuple(stale.newer), form=form.fields())
    except PublicReplyNeedsConfirmation as exc:
        error, code = f"Reply not sent: {exc}.", status.HTTP_409_CONFLICT
        notice = Notice("confirm_public", form={**form.fields(), "confirm_stale": confirm_stale})
    except NearIdenticalReply as exc:
        error, code = (
            "Reply not sent: it is near-identical to a recent public reply.",
            status.HTTP_409_CONFLICT,
        )
        notice = _scripted_notice(runtime, user, conversation_id, exc, {**form.fields(), **confirms})
    except ValidationFailed as exc:
        error = f"Reply not sent: {exc}."
    if error is not None:
        draft = Draft(text, kb_inserts)  # without JavaScript the composer comes back as it was
        return conversation_response(
            request,
            runtime,
            user,
            session,
            conversation_id,
            error,
            code,
            notice=notice or Notice("error"),
            draft=draft,
        )
    assert notice is not None
    if is_htmx(request):
        return conversation_response(request, runtime, user, session, conversation_id, notice=notice)
    if notice.kind == "held" or notice.proposed or notice.follow_up:
        return conversation_response(request, runtime, user, session, conversation_id, notice=notice)
    return see_other(f"/conversations/{conversation_id}")


def _scripted_notice(
    runtime: Runtime, user: User, conversation_id: int, exc: NearIdenticalReply, form: dict[str, str]
) -> Notice:
    with runtime.read_uow() as uow:
        hints = hints_for(uow, user, conversation_id, exc.check.body)
    return Notice("confirm_unscripted", form=form, script=exc.check, hints=tuple(hints))


@router.get("/conversations/{conversation_id}/compose")
def compose_count(
    conversation_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    text: Annotated[str, Query(max_length=MAX_REPLY_CHARS)] = "",
    visibility: str = "public",
    thread: str = "",
) -> Response:
    """The reply's length as its network counts it and, for a public reply, the signed text; over the
    limit, the overflow and the "send as a thread" choice (kept ticked across refreshes)."""
    user, session = found
    try:
        with runtime.read_uow() as uow:
            channel = access_conversation_by_id(uow, user, conversation_id).channel
    except NotFound:
        return not_found(user, session, "conversation")
    signed = visibility != "private"
    preview = compose_preview(user, channel, text, sign=signed)
    return render(
        "_compose_count.html",
        preview=preview,
        channel=channel,
        signed=signed,
        channel_limit=None,
        thread_chosen=thread == "1",
    )


@router.get("/conversations/{conversation_id}/saved-replies")
def saved_replies(
    conversation_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """Saved replies matching `q`, each rendered for this conversation, ready to insert."""
    user, session = found
    try:
        with runtime.read_uow() as uow:
            access_conversation_by_id(uow, user, conversation_id)
            matches = search_saved_replies(uow, user, q)[:SAVED_SHOWN]
            rendered = [(r, render_saved_reply(uow, user, r.id, conversation_id)) for r in matches]
    except NotFound:
        return not_found(user, session, "conversation")
    return render("_saved_replies.html", replies=rendered, q=q or "")


@router.post("/conversations/{conversation_id}/follow-ups")
def confirm_follow_up(
    request: Request,
    conversation_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    due_at: FormText = "",
    note: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    """One click on a proposed follow-up ("we'll get back to you by Friday") makes it yours."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        due = datetime.fromisoformat(due_at)
        if due.tzinfo is None:
            raise ValueError("naive")
        with runtime.uow() as uow:
            follow = check_create_follow_up(uow, user, conversation_id, due, note[:2000], runtime.clock.now())
    except NotFound:
        return not_found(user, session, "conversation")
    except (ValueError, ValidationFailed) as exc:
        message = f"Follow-up not set: {exc}."
        if is_htmx(request):
            return flash(message, status.HTTP_422_UNPROCESSABLE_CONTENT)
        context = page_context(user, session, title="Not set", message=message)
        return render("error.html", status.HTTP_422_UNPROCESSABLE_CONTENT, **context)
    if is_htmx(request):
        notice = Notice("follow_up", follow_up=follow)
        return render("_composer_notice.html", **page_context(user, session, notice=notice, detail=None))
    return see_other(f"/conversations/{conversation_id}")


@router.post("/conversations/{conversation_id}/answered-elsewhere")
def answered_elsewhere(
    request: Request,
    conversation_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    via: FormText = "",
    reference: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    """For a channel that cannot send: record how the customer was answered instead (sets the first
    response; nothing is sent)."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        with runtime.uow() as uow:
            check_answered_elsewhere(uow, user, conversation_id, via, reference, runtime.clock.now())
    except NotFound:
        return not_found(user, session, "conversation")
    except ValidationFailed as exc:
        return conversation_response(
            request,
            runtime,
            user,
            session,
            conversation_id,
            f"Not recorded: {exc}.",
            status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    return see_other(f"/conversations/{conversation_id}")
