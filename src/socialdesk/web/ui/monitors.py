"""`/settings/monitors`: the workspace's monitors and spam rules, adding a monitor, previewing a query.

Everyone in the workspace may look (and preview a query, which changes nothing); only admins may add.
A refused monitor comes back with the typed values and the error next to its field (for a query,
with its column and a caret under it). Preview is a second submit button: HTMX swaps the matching
posts in under the form; without JavaScript the whole page comes back with them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, status
from starlette.responses import Response

from socialdesk.actions.listening.monitors import (
    brand_ids_for,
    check_create_monitor,
    list_monitors,
    preview_on_recent,
)
from socialdesk.domain.errors import PermissionDenied, ValidationFailed
from socialdesk.domain.monitor import MonitorKind, MonitorMode
from socialdesk.domain.noise import SpamRuleKind
from socialdesk.domain.people import BrandAccount, User, normalize_handle
from socialdesk.domain.post import Message
from socialdesk.ports.accounts import WebSession
from socialdesk.runtime import Runtime
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.ui import csrf
from socialdesk.web.ui.responses import forbidden, is_htmx, not_allowed, page_context, see_other
from socialdesk.web.ui.templating import render
from socialdesk.web.ui.triage_view import masked_text

SETTINGS_URL = "/settings/monitors"
PREVIEW_SCAN = 2000  # the newest stored posts a preview looks through
PREVIEW_SHOWN = 20  # of which at most this many are listed
MAX_EXCLUSIONS = 500

router = APIRouter()


@dataclass(frozen=True)
class MonitorForm:
    """The add-a-monitor form as typed (exclusions as the comma-separated text in their boxes)."""

    name: str = ""
    query: str = ""
    kind: str = MonitorKind.BRAND.value
    mode: str = MonitorMode.CARE.value
    exclude_authors: str = ""
    exclude_terms: str = ""
    brands: str = ""  # brand accounts by handle or id, comma-separated


@dataclass(frozen=True)
class SpamForm:
    kind: str = SpamRuleKind.TERM.value
    value: str = ""


@dataclass(frozen=True)
class Preview:
    matches: list[Message] = field(default_factory=list)
    total: int = 0
    error: str | None = None
    query: str = ""
    pointer: str | None = None  # a caret under the column the error names
    masked: dict[int, str] = field(default_factory=dict)  # each match's text, private data masked


def split_list(text: str) -> list[str]:
    """`a, b,,c ` -> `["a", "b", "c"]`."""
    return [part.strip() for part in text.split(",") if part.strip()]


def error_field(message: str) -> str:
    """Which field a refusal of check_create_monitor is about (the query unless it says otherwise)."""
    if message.startswith(("monitor name", "a monitor named")):
        return "name"
    if message.startswith("monitor kind"):
        return "kind"
    if message.startswith("monitor mode"):
        return "mode"
    if message.startswith("monitor brand"):
        return "brands"
    return "query"


_COLUMN = re.compile(r"at column (\d+)")


def column_pointer(query: str, error: str) -> str | None:
    """A caret under the column an error names (`"   ^"`), for a one-line query."""
    found = _COLUMN.search(error)
    if found is None or "\n" in query or "\r" in query:
        return None
    column = int(found.group(1))
    if not 1 <= column <= len(query) + 1:
        return None
    return " " * (column - 1) + "^"


def brand_text(accounts: Sequence[BrandAccount], ids: Sequence[int]) -> str:
    """A monitor's brand accounts as the form shows them: each by handle, or by id where its handle
    would also name an account on another network."""
    by_id = {b.id: b for b in accounts}
    names = []
    for account_id in ids:
        account = by_id.get(account_id)
        if account is None:
            continue
        key = normalize_handle(account.handle)
        shared = sum(1 for b in accounts if normalize_handle(b.handle) == key) > 1
        names.append(str(account.id) if shared else account.handle.lstrip("@"))
    return ", ".join(names)


def brand_context(runtime: Runtime, user: User) -> dict[str, Any]:
    """The workspace's brand accounts, for the brand field's hint and the list's Brand column."""
    with runtime.uow() as uow:
        accounts = uow.brands.list(user.workspace_id)
    return {"brand_accounts": accounts, "brand_by_id": {b.id: b for b in accounts}}


def spam_context(
    runtime: Runtime, user: User, form: SpamForm | None = None, error: str | None = None
) -> dict[str, Any]:
    with runtime.uow() as uow:
        rules = uow.rules.spam_rules(user.workspace_id)
    return {
        "rules": rules,
        "spam_kinds": [k.value for k in SpamRuleKind],
        "spam_form": form or SpamForm(),
        "spam_error": error,
    }


def settings_page(
    runtime: Runtime,
    user: User,
    session: WebSession,
    status_code: int = status.HTTP_200_OK,
    *,
    form: MonitorForm | None = None,
    errors: dict[str, str] | None = None,
    preview: Preview | None = None,
    spam_form: SpamForm | None = None,
    spam_error: str | None = None,
) -> Response:
    form = form or MonitorForm()
    errors = errors or {}
    with runtime.uow() as uow:
        monitors = list_monitors(uow, user)
    context = page_context(
        user,
        session,
        nav="monitors",
        monitors=monitors,
        form=form,
        errors=errors,
        pointer=column_pointer(form.query, errors.get("query", "")),
        kinds=[k.value for k in MonitorKind],
        modes=[m.value for m in MonitorMode],
        preview=preview,
        now=runtime.clock.now(),
        scan=PREVIEW_SCAN,
        shown=PREVIEW_SHOWN,
        **spam_context(runtime, user, spam_form, spam_error),
        **brand_context(runtime, user),
    )
    return render("monitors.html", status_code, **context)


@router.get(SETTINGS_URL)
def monitors_page(runtime: RuntimeDep, found: UiSessionDep) -> Response:
    user, session = found
    return settings_page(runtime, user, session)


FormText = Annotated[str, Form()]


@router.post(SETTINGS_URL)
def create_monitor(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    name: FormText = "",
    query: FormText = "",
    kind: FormText = MonitorKind.BRAND.value,
    mode: FormText = MonitorMode.CARE.value,
    exclude_authors: FormText = "",
    exclude_terms: FormText = "",
    brands: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    form = MonitorForm(name, query, kind, mode, exclude_authors, exclude_terms, brands)
    authors, terms = split_list(exclude_authors), split_list(exclude_terms)
    errors = {
        key: f"At most {MAX_EXCLUSIONS} entries."
        for key, values in (("exclude_authors", authors), ("exclude_terms", terms))
        if len(values) > MAX_EXCLUSIONS
    }
    if not errors:
        try:
            with runtime.uow() as uow:
                check_create_monitor(
                    uow,
                    user,
                    name=name,
                    query=query,
                    kind=kind,
                    mode=mode,
                    exclude_authors=authors,
                    exclude_terms=terms,
                    brand_account_ids=brand_ids_for(uow, user, split_list(brands)),
                    now=runtime.clock.now(),
                )
        except PermissionDenied as exc:
            return not_allowed(user, session, exc)
        except ValidationFailed as exc:
            errors = {error_field(str(exc)): f"Not saved: {exc}."}
    if errors:
        return settings_page(
            runtime, user, session, status.HTTP_422_UNPROCESSABLE_CONTENT, form=form, errors=errors
        )
    return see_other(SETTINGS_URL)


def run_preview(runtime: Runtime, user: User, query: str) -> Preview:
    if not query.strip():
        return Preview(error="Type a query to preview it.")
    try:
        with runtime.uow() as uow:
            ids = preview_on_recent(uow, user, query, scan=PREVIEW_SCAN)
            shown = [m for i in ids[:PREVIEW_SHOWN] if (m := uow.messages.get(user.workspace_id, i))]
    except ValidationFailed as exc:
        return Preview(error=f"Not a valid {exc}.", query=query, pointer=column_pointer(query, str(exc)))
    return Preview(shown, len(ids), query=query, masked={m.id: masked_text(m) for m in shown})


@router.post(f"{SETTINGS_URL}/preview")
def preview_monitor(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    name: FormText = "",
    query: FormText = "",
    kind: FormText = MonitorKind.BRAND.value,
    mode: FormText = MonitorMode.CARE.value,
    exclude_authors: FormText = "",
    exclude_terms: FormText = "",
    brands: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    """The posts a query matches, before saving it (reads only; CSRF-checked like every POST)."""
    user, session = found
    if not csrf.session_token_ok(request, session, csrf_token):
        return forbidden(user, session)
    result = run_preview(runtime, user, query)
    code = status.HTTP_422_UNPROCESSABLE_CONTENT if result.error else status.HTTP_200_OK
    if is_htmx(request):
        context = page_context(
            user, session, preview=result, now=runtime.clock.now(), scan=PREVIEW_SCAN, shown=PREVIEW_SHOWN
        )
        return render("_monitor_preview.html", code, **context)
    form = MonitorForm(name, query, kind, mode, exclude_authors, exclude_terms, brands)
    return settings_page(runtime, user, session, code, form=form, preview=result)
