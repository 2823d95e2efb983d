"""The inbox's desk: bulk actions on the ticked rows, the user's preferences (compact rows, columns,
time zone) and saved views. Plain forms that work without JavaScript (each answers with a page saying
what happened), enhanced by desk.js (x / shift for selection, the browser's time zone).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from socialdesk.actions.desk_preferences import (
    INBOX_COLUMNS,
    SNOOZE_PRESETS,
    check_set_preferences,
    get_preferences,
    zone_or_utc,
)
from socialdesk.actions.inbox_bulk import BULK_LIMIT, BulkOp, BulkRequest, check_bulk
from socialdesk.actions.inbox_views import access_view, check_delete_view, check_save_view, list_views
from socialdesk.actions.incidents import list_incidents
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.people import User
from socialdesk.domain.tags import parse_tags
from socialdesk.ports import UnitOfWork, WebSession
from socialdesk.runtime import Runtime
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.inputs import Id, id_from_text
from socialdesk.web.ui import csrf
from socialdesk.web.ui.responses import (
    flash,
    forbidden,
    is_htmx,
    not_allowed,
    not_found,
    page_context,
    see_other,
)
from socialdesk.web.ui.templating import render

router = APIRouter()

COLUMN_LABELS = {
    "channel": "Channel",
    "brand": "Brand",
    "customer": "Customer",
    "tags": "Tags",
    "status": "Status",
    "urgency": "Urgency",
    "sla": "SLA",
    "assignee": "Assignee",
    "waiting": "Waiting",
}
MAX_FORM_IDS = 10_000  # read at most this many ticked ids from a form; the action refuses past BULK_LIMIT


def desk_context(uow: UnitOfWork, user: User, saved: int | None, *, full: bool = True) -> dict[str, Any]:
    """What the inbox page needs of the desk: preferences and saved views, and for the whole page
    (``full``; the rows fragment, refreshed live, needs none of them) the bulk bar's choices."""
    prefs = get_preferences(uow, user)
    views = list_views(uow, user)
    current = next((v for v in views if v.id == saved), None)
    columns = prefs.columns
    if current is not None and "columns" in current.spec:
        columns = tuple(current.spec["columns"])
    out: dict[str, Any] = {
        "prefs": prefs,
        "compact": prefs.compact,
        "columns": columns,
        "column_labels": COLUMN_LABELS,
        "zone": prefs.zone,
        "saved_views": views,
        "saved_view": current,
        "snooze_presets": SNOOZE_PRESETS,
        "bulk_limit": BULK_LIMIT,
    }
    if full:
        teams = uow.teams.members(user.workspace_id)
        out["share_teams"] = [t for t in uow.teams.list(user.workspace_id) if user.id in teams.get(t.id, [])]
        out["incidents"] = [i for i in list_incidents(uow, user, None, 50) if i.status != "resolved"]
        out["colleagues"] = [u for u in uow.users.list(user.workspace_id) if u.is_active]
    return out


def _back(value: str) -> str:
    """Where to go after a form: an inbox address of this site only."""
    return value if value.startswith("/?") or value == "/" else "/"


def _done(
    request: Request, user: User, session: WebSession, message: str, back: str, code: int = 200
) -> Response:
    if is_htmx(request):
        response = flash(message, code)
        response.headers["HX-Trigger"] = "inbox-refresh"
        return response
    return render(
        "desk_result.html", code, **page_context(user, session, nav="inbox", message=message, back=back)
    )


def parse_until(text: str, preset: str, zone_name: str, now: datetime) -> datetime | None:
    """A snooze time: a preset (hours from now) or a local date and time typed in the user's zone."""
    if preset in SNOOZE_PRESETS:
        return now + timedelta(hours=int(preset))
    if not text.strip():
        return None
    try:
        local = datetime.fromisoformat(text.strip()[:19])
    except ValueError as exc:
        raise ValidationFailed(f"snooze until {text[:40]!r}: expected a date and time") from exc
    if local.tzinfo is None:
        local = local.replace(tzinfo=zone_or_utc(zone_name))
    return local.astimezone(UTC)


def _request(form: dict[str, str], me: int, zone_name: str, now: datetime) -> BulkRequest:
    op_name = form["op"]
    if op_name not in BulkOp.__members__.values():
        raise ValidationFailed(f"action {op_name[:20]!r}: expected one of {', '.join(BulkOp)}")
    op = BulkOp(op_name)
    if op is BulkOp.ASSIGN:
        who = form["assignee"]
        assignee = None if who in ("", "nobody") else (me if who == "me" else id_from_text(who))
        if who not in ("", "nobody", "me") and assignee is None:
            raise ValidationFailed(f"assign to {who[:20]!r}: not a colleague")
        return BulkRequest(op, assignee_id=assignee)
    if op is BulkOp.TAG:
        return BulkRequest(op, add_tags=parse_tags(form["tags"]), remove_tags=parse_tags(form["untag"]))
    if op is BulkOp.SNOOZE:
        return BulkRequest(op, until=parse_until(form["until"], form["snooze_for"], zone_name, now))
    if op is BulkOp.INCIDENT:
        return BulkRequest(op, incident_id=id_from_text(form["incident"]))
    return BulkRequest(op)


@router.post("/inbox/bulk")
async def bulk(request: Request, runtime: RuntimeDep, found: UiSessionDep) -> Response:
    """The form is read here, not by FastAPI, so that up to MAX_FORM_IDS ticked ids arrive (Starlette
    stops at 1,000 fields with a bare 400) and a bigger selection is refused saying the bound."""
    user, session = found
    try:
        sent = await request.form(max_fields=MAX_FORM_IDS + 20, max_files=0)
    except HTTPException:
        message = (
            f"Nothing changed: more than {MAX_FORM_IDS:,} fields; a bulk action takes at most {BULK_LIMIT}."
        )
        return _done(request, user, session, message, "/", 422)
    fields = {k: v for k, v in sent.items() if isinstance(v, str) and k != "ids"}
    if not csrf.session_token_ok(request, session, fields.get("csrf_token", "")):
        return forbidden(user, session)
    ids = [v for v in sent.getlist("ids") if isinstance(v, str)]
    return await run_in_threadpool(_bulk, request, runtime, user, session, ids, fields)


def _bulk(
    request: Request,
    runtime: Runtime,
    user: User,
    session: WebSession,
    ids: list[str],
    fields: dict[str, str],
) -> Response:
    form = {k: fields.get(k, "")[:2000] for k in ("op", "assignee", "tags", "untag", "until", "snooze_for")}
    form["incident"] = fields.get("incident", "")[:20]
    back = _back(fields.get("back", "/")[:2000])
    chosen = [i for i in (id_from_text(t[:20]) for t in ids) if i is not None]
    now = runtime.clock.now()
    try:
        with runtime.read_uow() as uow:
            zone_name = get_preferences(uow, user).time_zone
        wanted = _request(form, user.id, zone_name, now)
        report = check_bulk(runtime.uow, user, chosen, wanted, now)
    except ValidationFailed as exc:
        return _done(request, user, session, f"Nothing changed: {exc}.", back, 422)
    except NotFound as exc:
        return _done(request, user, session, f"Nothing changed: no {exc} here.", back, 404)
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    return _done(request, user, session, report.summary() + ".", back)


@router.post("/inbox/preferences")
def preferences(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    compact: Annotated[str, Form(max_length=8)] = "",
    columns: Annotated[list[str] | None, Form(max_length=len(INBOX_COLUMNS))] = None,
    time_zone: Annotated[str, Form(max_length=64)] = "",
    browser_zone: Annotated[str, Form(max_length=64)] = "",
    what: Annotated[str, Form(max_length=20)] = "",
    back: Annotated[str, Form(max_length=2000)] = "/",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """One form per preference (``what``): compact, columns or zone; "browser" takes the browser's."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    now = runtime.clock.now()
    try:
        with runtime.uow() as uow:
            if what == "compact":
                check_set_preferences(uow, user, now, compact=compact == "on")
            elif what == "columns":
                check_set_preferences(uow, user, now, columns=columns or [])
            elif what == "zone":
                zone = browser_zone if time_zone == "browser" else time_zone
                check_set_preferences(uow, user, now, time_zone=zone)
            else:
                raise ValidationFailed(f"{what[:20]!r}: expected compact, columns or zone")
    except ValidationFailed as exc:
        return _done(request, user, session, f"Preferences not changed: {exc}.", _back(back), 422)
    return see_other(_back(back))


@router.post("/inbox/views")
def save_view(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    name: Annotated[str, Form(max_length=200)] = "",
    spec: Annotated[str, Form(max_length=2000)] = "",
    columns: Annotated[list[str] | None, Form(max_length=len(INBOX_COLUMNS))] = None,
    team: Annotated[str, Form(max_length=20)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Save the inbox's current filters (``spec``, its query string) under a name, with the columns."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    filters: dict[str, Any] = {
        k: v for k, v in parse_qsl(spec, max_num_fields=20) if k not in ("page", "saved")
    }
    if columns is not None:
        filters["columns"] = columns
    team_id = id_from_text(team) if team.strip() else None
    try:
        with runtime.uow() as uow:
            view = check_save_view(uow, user, name, filters, team_id, runtime.clock.now())
    except (ValidationFailed, ValueError) as exc:
        return _done(request, user, session, f"View not saved: {exc}.", "/?" + spec[:1000], 422)
    except NotFound:
        return not_found(user, session, "team")
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    return see_other(view_url(view.id, view.spec))


def view_url(view_id: int, spec: dict[str, Any]) -> str:
    query = {k: v for k, v in spec.items() if k != "columns"}
    return "/?" + urlencode({**query, "saved": view_id})


@router.get("/inbox/views/{view_id}")
def open_view(view_id: Id, runtime: RuntimeDep, found: UiSessionDep) -> Response:
    user, session = found
    try:
        with runtime.read_uow() as uow:
            view = access_view(uow, user, view_id)
    except NotFound:
        return not_found(user, session, "saved view")
    return see_other(view_url(view.id, view.spec))


@router.post("/inbox/views/{view_id}/delete")
def delete_view(
    request: Request,
    view_id: Id,
    runtime: RuntimeDep,
    found: UiSessionDep,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        with runtime.uow() as uow:
            check_delete_view(uow, user, view_id, runtime.clock.now())
    except NotFound:
        return not_found(user, session, "saved view")
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    return see_other("/")
