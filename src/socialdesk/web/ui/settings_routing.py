"""`/settings/routing`: the routing rules (add, delete) and a preview of where a sample post would go.

The preview is a GET form (it works without JavaScript; HTMX swaps `/settings/routing/preview` in as
you type). The rules' values are checked by `actions/care/teams.py`, which also checks the role.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, status
from starlette.responses import Response

from socialdesk.actions.care.routing_preview import RoutePreview, preview_route
from socialdesk.actions.care.teams import check_add_routing_rule, check_delete_routing_rule
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.people import User
from socialdesk.domain.post import CHANNELS
from socialdesk.domain.routing import Priority
from socialdesk.ports.accounts import WebSession
from socialdesk.ports.care import NewRoutingRule
from socialdesk.runtime import Runtime
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.inputs import Id
from socialdesk.web.ui import csrf
from socialdesk.web.ui.responses import forbidden, not_allowed, not_found, page_context, see_other
from socialdesk.web.ui.settings_pages import refusal, settings_page
from socialdesk.web.ui.templating import render

PAGE = "/settings/routing"
FormText = Annotated[str, Form()]
QueryText = Annotated[str, Query(max_length=2000)]
router = APIRouter()


@dataclass(frozen=True)
class RuleForm:
    name: str = ""
    position: str = "0"
    channels: str = ""
    languages: str = ""
    categories: str = ""
    monitors: str = ""
    text_any: str = ""
    urgency_min: str = ""
    urgency_max: str = ""
    team_id: str = ""
    priority: str = ""
    tags: str = ""
    auto_resolve: bool = False
    stop: bool = True


@dataclass(frozen=True)
class Sample:
    text: str = ""
    channel: str = CHANNELS[0]
    language: str = ""


def words(text: str) -> list[str]:
    return [w.strip() for w in text.split(",") if w.strip()]


def _number(text: str, field: str) -> float | None:
    if not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        raise ValidationFailed(f"{field}: a number from 0 to 100, not {text[:40]!r}") from None


def rule_of(form: RuleForm) -> NewRoutingRule:
    """The rule the form describes (empty fields: no condition); the action checks it."""
    conditions: dict[str, Any] = {
        key: words(getattr(form, key))
        for key in ("channels", "languages", "categories", "monitors")
        if words(getattr(form, key))
    }
    if words(form.text_any):
        conditions["text_any"] = words(form.text_any)
    for key in ("urgency_min", "urgency_max"):
        bound = _number(getattr(form, key), key.replace("_", " "))
        if bound is not None:
            conditions[key] = bound
    try:
        position = int(form.position or "0")
    except ValueError:
        raise ValidationFailed(f"position: a whole number, not {form.position[:40]!r}") from None
    if not form.team_id.isdigit() and form.team_id:
        raise ValidationFailed(f"team: choose one of the teams, not {form.team_id[:40]!r}")
    return NewRoutingRule(
        name=form.name.strip(),
        position=position,
        conditions=conditions,
        team_id=int(form.team_id) if form.team_id else None,
        priority=form.priority or None,
        tags=tuple(words(form.tags)),
        auto_resolve=form.auto_resolve,
        stop=form.stop,
    )


def _preview(runtime: Runtime, user: User, sample: Sample) -> RoutePreview | None:
    if not sample.text.strip():
        return None
    with runtime.read_uow() as uow:
        return preview_route(
            uow, user, sample.text, sample.channel, sample.language.strip(), runtime.clock.now()
        )


def routing_page(
    runtime: Runtime,
    user: User,
    session: WebSession,
    status_code: int = status.HTTP_200_OK,
    *,
    form: RuleForm | None = None,
    sample: Sample | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    sample = sample or Sample()
    with runtime.read_uow() as uow:
        rules = uow.routing.list(user.workspace_id)
        teams = uow.teams.list(user.workspace_id)
    return settings_page(
        "settings/routing.html",
        PAGE,
        user,
        session,
        status_code,
        rules=rules,
        teams={t.id: t for t in teams},
        form=form or RuleForm(),
        sample=sample,
        preview=_preview(runtime, user, sample),
        errors=errors or {},
        channels=CHANNELS,
        priorities=[p.value for p in Priority],
    )


@router.get(PAGE)
def routing_view(
    runtime: RuntimeDep,
    found: UiSessionDep,
    text: QueryText = "",
    channel: QueryText = CHANNELS[0],
    language: QueryText = "",
) -> Response:
    user, session = found
    return refusal(user, session, PAGE) or routing_page(
        runtime, user, session, sample=Sample(text, channel, language)
    )


@router.get(PAGE + "/preview")
def routing_preview(
    runtime: RuntimeDep,
    found: UiSessionDep,
    text: QueryText = "",
    channel: QueryText = CHANNELS[0],
    language: QueryText = "",
) -> Response:
    """The preview alone, for HTMX to swap in while the sample is typed."""
    user, session = found
    try:
        preview = _preview(runtime, user, Sample(text, channel, language))
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    with runtime.read_uow() as uow:
        teams = {t.id: t for t in uow.teams.list(user.workspace_id)}
    return render("settings/_route_preview.html", **page_context(user, session, preview=preview, teams=teams))


@router.post(PAGE)
def add_rule(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    name: FormText = "",
    position: FormText = "0",
    channels: FormText = "",
    languages: FormText = "",
    categories: FormText = "",
    monitors: FormText = "",
    text_any: FormText = "",
    urgency_min: FormText = "",
    urgency_max: FormText = "",
    team_id: FormText = "",
    priority: FormText = "",
    tags: FormText = "",
    auto_resolve: FormText = "",
    stop: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    refused = refusal(user, session, PAGE)  # before reading the form: the role decides first
    if refused:
        return refused
    form = RuleForm(
        name, position, channels, languages, categories, monitors, text_any, urgency_min, urgency_max,
        team_id, priority, tags, auto_resolve == "on", stop == "on",
    )  # fmt: skip
    try:
        with runtime.uow() as uow:
            check_add_routing_rule(uow, user, rule_of(form), runtime.clock.now())
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except (NotFound, ValidationFailed) as exc:
        code = status.HTTP_422_UNPROCESSABLE_CONTENT
        errors = {"rule": f"Rule not added: {exc}."}
        return routing_page(runtime, user, session, code, form=form, errors=errors)
    return see_other(PAGE + "#rules")


@router.post(PAGE + "/{rule_id}/delete")
def delete_rule(
    request: Request, rule_id: Id, runtime: RuntimeDep, found: UiSessionDep, csrf_token: FormText = ""
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    try:
        with runtime.uow() as uow:
            check_delete_routing_rule(uow, user, rule_id, runtime.clock.now())
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except NotFound:
        return not_found(user, session, "such routing rule")
    return see_other(PAGE + "#rules")
