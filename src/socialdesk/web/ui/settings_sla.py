"""`/settings/sla`: the workspace's SLA policy (targets per channel and priority, the warning) and a
preview of a case's deadlines from a chosen start time in a team's business hours.

Targets are typed in minutes; a row left empty is dropped, the empty row at the end adds one. The
escalation rules of a policy set through the API are kept as they are. Business hours and holidays
belong to each team (`/settings/teams`). `actions/care/sla.py` checks the values and the role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, status
from starlette.responses import Response

from socialdesk.actions.care.sla import SLA_POLICY, check_set_sla_policy
from socialdesk.actions.care.sla_preview import Deadlines, preview_sla_deadlines
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.people import User
from socialdesk.domain.post import CHANNELS
from socialdesk.domain.routing import Priority
from socialdesk.ports.accounts import WebSession
from socialdesk.runtime import Runtime
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.ui import csrf
from socialdesk.web.ui.responses import forbidden, not_allowed, see_other
from socialdesk.web.ui.settings_pages import refusal, settings_page

PAGE = "/settings/sla"
FormList = Annotated[list[str], Form()]
QueryText = Annotated[str, Query(max_length=100)]
router = APIRouter()
MINUTE = 60


@dataclass(frozen=True)
class TargetRow:
    channel: str = ""
    priority: str = ""
    first_response: str = ""
    next_response: str = ""
    resolution: str = ""

    @property
    def empty(self) -> bool:
        return not (self.first_response.strip() or self.next_response.strip() or self.resolution.strip())


@dataclass(frozen=True)
class PolicyForm:
    name: str = "default"
    warn_percent: str = "80"
    targets: tuple[TargetRow, ...] = ()


@dataclass(frozen=True)
class PreviewForm:
    team_id: str = ""
    channel: str = CHANNELS[0]
    priority: str = Priority.NORMAL.value
    start: str = ""  # datetime-local, UTC


def _minutes(text: str, where: str) -> int:
    try:
        value = float(text.strip())
    except ValueError:
        raise ValidationFailed(f"{where}: a number of minutes, not {text.strip()[:40]!r}") from None
    if not 0 < value <= 10**7:
        raise ValidationFailed(f"{where}: more than 0 minutes")
    return round(value * MINUTE)


def policy_of(form: PolicyForm, kept: dict[str, Any] | None) -> dict[str, Any]:
    """The policy JSON the form describes (the action checks it); escalations kept from ``kept``."""
    targets = []
    for number, row in enumerate((r for r in form.targets if not r.empty), start=1):
        where = f"target {number}"
        target: dict[str, Any] = {
            "channel": row.channel or None,
            "priority": row.priority or None,
            "first_response_s": _minutes(row.first_response, f"{where}, first response"),
            "next_response_s": _minutes(row.next_response, f"{where}, next response"),
            "resolution_s": _minutes(row.resolution, f"{where}, resolution"),
        }
        targets.append(target)
    try:
        warn = float(form.warn_percent.strip()) / 100
    except ValueError:
        bad = form.warn_percent.strip()[:40]
        raise ValidationFailed(f"warning: a percentage of the target, not {bad!r}") from None
    if not 0 < warn <= 1:
        raise ValidationFailed("warning: from 1 to 100 percent of the target")
    return {
        "name": form.name.strip() or "default",
        "targets": targets,
        "warn_fraction": warn,
        "warn_before_s": None,
        "escalations": list((kept or {}).get("escalations", [])),
    }


def form_of(data: dict[str, Any] | None) -> PolicyForm:
    if not data:
        return PolicyForm()

    def minutes(seconds: Any) -> str:
        value = int(seconds) / MINUTE
        return str(int(value)) if value == int(value) else f"{value:g}"

    rows = tuple(
        TargetRow(
            t.get("channel") or "",
            t.get("priority") or "",
            minutes(t["first_response_s"]),
            minutes(t["next_response_s"]),
            minutes(t["resolution_s"]),
        )
        for t in data.get("targets", ())
    )
    warn = data.get("warn_fraction") or 0.8
    return PolicyForm(str(data.get("name", "default")), f"{warn * 100:g}", rows)


def _deadlines(runtime: Runtime, user: User, preview: PreviewForm) -> tuple[Deadlines | None, str]:
    if not preview.start:
        return None, ""
    try:
        start = datetime.fromisoformat(preview.start).replace(tzinfo=UTC)
        team_id = int(preview.team_id) if preview.team_id.isdigit() else None
        with runtime.read_uow() as uow:
            return preview_sla_deadlines(uow, user, team_id, preview.channel, preview.priority, start), ""
    except ValueError:
        return None, f"No preview: {preview.start[:40]!r} is not a date and time."
    except (NotFound, ValidationFailed) as exc:
        return None, f"No preview: {exc}."


def sla_page(
    runtime: Runtime,
    user: User,
    session: WebSession,
    status_code: int = status.HTTP_200_OK,
    *,
    form: PolicyForm | None = None,
    preview: PreviewForm | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    preview = preview or PreviewForm()
    with runtime.read_uow() as uow:
        stored = uow.settings.get(user.workspace_id, SLA_POLICY)
        teams = uow.teams.list(user.workspace_id)
    form = form or form_of(stored)
    deadlines, preview_error = _deadlines(runtime, user, preview)
    return settings_page(
        "settings/sla.html",
        PAGE,
        user,
        session,
        status_code,
        stored=stored,
        form=form,
        rows=[*form.targets, TargetRow()],
        preview=preview,
        deadlines=deadlines,
        preview_error=preview_error,
        teams=teams,
        errors=errors or {},
        channels=CHANNELS,
        priorities=[p.value for p in Priority],
    )


@router.get(PAGE)
def sla_view(
    runtime: RuntimeDep,
    found: UiSessionDep,
    team_id: QueryText = "",
    channel: QueryText = CHANNELS[0],
    priority: QueryText = Priority.NORMAL.value,
    start: QueryText = "",
) -> Response:
    user, session = found
    preview = PreviewForm(team_id, channel, priority, start)
    return refusal(user, session, PAGE) or sla_page(runtime, user, session, preview=preview)


@router.post(PAGE)
def set_policy(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    name: Annotated[str, Form()] = "default",
    warn_percent: Annotated[str, Form()] = "80",
    channel: FormList = [],  # noqa: B006 (FastAPI copies the default)
    priority: FormList = [],  # noqa: B006
    first_response: FormList = [],  # noqa: B006
    next_response: FormList = [],  # noqa: B006
    resolution: FormList = [],  # noqa: B006
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    refused = refusal(user, session, PAGE)  # before reading the form: the role decides first
    if refused:
        return refused
    columns = (channel, priority, first_response, next_response, resolution)
    count = max(len(c) for c in columns)
    padded = [list(c) + [""] * (count - len(c)) for c in columns]
    rows = tuple(TargetRow(*(c[i] for c in padded)) for i in range(min(count, 100)))
    form = PolicyForm(name, warn_percent, rows)
    try:
        with runtime.uow() as uow:
            kept = uow.settings.get(user.workspace_id, SLA_POLICY)
            check_set_sla_policy(uow, user, policy_of(form, kept), runtime.clock.now())
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    except ValidationFailed as exc:
        code = status.HTTP_422_UNPROCESSABLE_CONTENT
        return sla_page(runtime, user, session, code, form=form, errors={"policy": f"Not saved: {exc}."})
    return see_other(PAGE)
