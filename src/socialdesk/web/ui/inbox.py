"""The inbox: views (needs reply, the default; mine, unassigned, team queues, all open, waiting on
customer, SLA at risk, breached, snoozed), each with its count, narrowed by channel, brand account,
monitor, tag and search text, sorted by urgency, waiting time or SLA deadline, in pages of 100 rows;
rows refreshed live. Each row shows the brand account the customer addressed. A snoozed conversation
is left out of every view but "Snoozed" until its time passes.

The user's preferences (web/ui/inbox_desk.py) choose compact rows, the columns and the time zone; a
saved view (`?saved=ID`) brings its own columns.

A view is a name in the query string (`/?view=mine`), as are `sort` and `page`; the rows fragment
carries the view tabs with their counts, so one live refresh updates both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from socialdesk.actions.conversations import (
    count_conversations,
    latest_triage,
    list_conversations,
    private_conversations,
    review_ratings,
)
from socialdesk.actions.incidents import open_incidents
from socialdesk.actions.monitors import list_monitors
from socialdesk.domain.case import CaseStatus
from socialdesk.domain.people import User
from socialdesk.domain.post import CHANNELS
from socialdesk.ports import ConversationQuery
from socialdesk.runtime import Runtime
from socialdesk.web.api.care_collab import presence_hub
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.ui.conversation_view import Here, others_here
from socialdesk.web.ui.inbox_desk import desk_context
from socialdesk.web.ui.responses import page_context
from socialdesk.web.ui.sla_display import countdown
from socialdesk.web.ui.templating import render
from socialdesk.web.ui.triage_view import row_text

INBOX_LIMIT = 100
COUNT_CAP = 99  # counts above this show as "99+": a count is one bounded query per view
PAGES_CAP = 10  # the shown view is counted to this many pages (or the page asked), then "1,000+"

router = APIRouter()


@dataclass(frozen=True, slots=True)
class View:
    key: str
    label: str
    query: ConversationQuery
    caption: str


def views_for(user: User, teams: dict[int, str], now: datetime) -> list[View]:
    """The inbox views, in tab order; one per team (all of them: anyone may look at a queue). Each
    leaves out what is snoozed at ``now``, but "Snoozed", which shows only that."""
    active = ConversationQuery(active_only=True, awake_at=now)
    out = [
        View(
            "needs_reply",
            "Needs reply",
            ConversationQuery(needs_reply=True, awake_at=now),
            "Open conversations whose customer waits for a reply",
        ),
        View("mine", "Mine", replace(active, assignee_id=user.id), "Open conversations assigned to you"),
        View("unassigned", "Unassigned", replace(active, unassigned=True), "Open conversations nobody has"),
        View("all", "All open", active, "All open conversations"),
        View(
            "waiting",
            "Waiting on customer",
            ConversationQuery(status=CaseStatus.PENDING_CUSTOMER, awake_at=now),
            "Conversations waiting for the customer",
        ),
        View("at_risk", "SLA at risk", replace(active, sla_state="warning"), "SLA at risk"),
        View("breached", "SLA breached", replace(active, sla_state="breached"), "SLA breached"),
        View(
            "snoozed",
            "Snoozed",
            replace(active, awake_at=None, snoozed_at=now),
            "Snoozed conversations, back in the inbox when their time comes",
        ),
    ]
    for team_id, name in sorted(teams.items(), key=lambda t: t[1].casefold()):
        query = replace(active, team_ids=(team_id,))
        out.append(View(f"team-{team_id}", f"Team {name}", query, f"Open conversations in {name}'s queue"))
    return out


def _count_label(n: int) -> str:
    return f"{COUNT_CAP}+" if n > COUNT_CAP else str(n)


SORT_LABELS = {
    "urgency": "most urgent first, then longest waiting",
    "waiting": "longest waiting first",
    "deadline": "SLA breached, then at risk, then nearest deadline",
}


@dataclass(frozen=True, slots=True)
class Paging:
    page: int
    pages: int
    total: int
    first: int  # 1-based number of the page's first row (0 when empty)
    last: int
    capped: bool = False  # more rows than `total` (counting stopped there)

    @property
    def total_label(self) -> str:
        return f"{self.total:,}+" if self.capped else f"{self.total:,}"


def inbox_context(
    runtime: Runtime,
    request: Request,
    user: User,
    view: str | None,
    q: str | None,
    channel: str | None,
    monitor: str | None = None,
    brand: str | None = None,
    sort: str | None = None,
    page: int = 1,
    tag: str | None = None,
    saved: int | None = None,
    *,
    full: bool = True,
) -> dict[str, Any]:
    text = (q or "").strip() or None
    by_tag = (tag or "").strip().lower() or None
    order = sort if sort in SORT_LABELS else "urgency"
    chosen = channel if channel in CHANNELS else None
    now = runtime.clock.now()
    hub = presence_hub(request)
    with runtime.read_uow() as uow:
        teams = {t.id: t.name for t in uow.teams.list(user.workspace_id)}
        monitor_names = [m.monitor.name for m in list_monitors(uow, user)]
        by_monitor = monitor if monitor in monitor_names else None
        brands = sorted(uow.brands.list(user.workspace_id), key=lambda b: (b.channel, b.handle.casefold()))
        by_brand = next((b for b in brands if str(b.id) == brand), None)
        brand_ids = (by_brand.id,) if by_brand else None
        desk = desk_context(uow, user, saved, full=full)
        views = views_for(user, teams, now)
        current = next((v for v in views if v.key == view), views[0])

        def narrowed(query: ConversationQuery, size: int) -> ConversationQuery:
            return replace(
                query,
                channel=chosen,
                monitor=by_monitor,
                brand_account_ids=brand_ids,
                text=text,
                tag=by_tag,
                limit=size,
            )

        shown = replace(narrowed(current.query, INBOX_LIMIT), sort=order)
        # Counted up to a cap (or past the page asked): a count visits each row it counts.
        cap = max(PAGES_CAP * INBOX_LIMIT, page * INBOX_LIMIT) + 1
        counted = count_conversations(uow, user, shown, cap)
        pages = max(1, -(-counted // INBOX_LIMIT))
        number = min(max(1, page), pages)
        offset = (number - 1) * INBOX_LIMIT
        rows = list_conversations(uow, user, replace(shown, offset=offset))
        total = min(counted, cap - 1)
        paging = Paging(number, pages, total, offset + 1 if rows else 0, offset + len(rows), counted >= cap)
        counts = {
            v.key: _count_label(count_conversations(uow, user, narrowed(v.query, 0), COUNT_CAP + 1))
            for v in views
        }
        people = {u.id: u for u in uow.users.list(user.workspace_id)}
        triage = latest_triage(uow, user, [r.conversation.id for r in rows])
        private = private_conversations(uow, user, [r.conversation.id for r in rows])
        ratings = review_ratings(uow, user, [r.conversation.id for r in rows])
        outages = open_incidents(uow, user)

    def here(conversation_id: int) -> list[Here]:
        return others_here(hub.who(user.workspace_id, conversation_id, now), people, user)

    return {
        "rows": rows,
        "texts": {
            r.conversation.id: row_text(r.conversation.subject or r.conversation.last_text) for r in rows
        },
        "countdowns": {r.conversation.id: countdown(r.care, now) for r in rows},
        "here": {r.conversation.id: here(r.conversation.id) for r in rows},
        "people": people,
        "triage": triage,
        "ratings": ratings,  # conversation id -> its review's stars, 1 to 5
        "private": private,  # conversations whose newest customer message is private (a DM)
        "views": views,
        "view": current,
        "counts": counts,
        "now": now,
        "q": text or "",
        "channel": chosen or "",
        "channels": CHANNELS,
        "monitor": by_monitor or "",
        "monitors": monitor_names,
        "brand": by_brand,
        "brands": brands,
        "brand_handles": {b.id: b.handle for b in brands},
        "limit": INBOX_LIMIT,
        "sort": order,
        "sorts": SORT_LABELS,
        "paging": paging,
        "open_incidents": outages,  # the banner: suspected and confirmed incidents
        "tag": by_tag or "",
        **desk,
    }


SearchText = Annotated[str | None, Query(max_length=200)]
ViewName = Annotated[str | None, Query(max_length=40)]
MonitorName = Annotated[str | None, Query(max_length=200)]
BrandId = Annotated[str | None, Query(max_length=20)]
SortName = Annotated[str | None, Query(max_length=20)]
PageNumber = Annotated[int, Query(ge=1, le=100_000)]
TagName = Annotated[str | None, Query(max_length=40)]
SavedView = Annotated[int | None, Query(ge=1, le=2**53)]


@router.get("/")
def inbox(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    view: ViewName = None,
    q: SearchText = None,
    channel: str | None = None,
    monitor: MonitorName = None,
    brand: BrandId = None,
    sort: SortName = None,
    page: PageNumber = 1,
    tag: TagName = None,
    saved: SavedView = None,
) -> Response:
    user, session = found
    context = inbox_context(runtime, request, user, view, q, channel, monitor, brand, sort, page, tag, saved)
    return render("inbox.html", **page_context(user, session, nav="inbox", **context))


@router.get("/inbox/rows")
def inbox_rows(
    request: Request,
    runtime: RuntimeDep,
    found: UiSessionDep,
    view: ViewName = None,
    q: SearchText = None,
    channel: str | None = None,
    monitor: MonitorName = None,
    brand: BrandId = None,
    sort: SortName = None,
    page: PageNumber = 1,
    tag: TagName = None,
    saved: SavedView = None,
) -> Response:
    user, session = found
    context = inbox_context(
        runtime, request, user, view, q, channel, monitor, brand, sort, page, tag, saved, full=False
    )
    return render("_inbox_rows.html", **page_context(user, session, **context))
