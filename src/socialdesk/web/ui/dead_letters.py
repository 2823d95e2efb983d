"""`/admin/dead-letters`: the posts of this workspace the pipeline gave up on (admins only).

In scale-out mode a post that fails every attempt goes to the JetStream stream `SD_DEAD` with the
error; this page lists the workspace's newest ones. In the embedded mode posts are stored in the
request that brings them, so a failure is answered to the sender and nothing is parked.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from socialdesk.actions.inbox.dead_letters import list_dead_letters
from socialdesk.domain.errors import PermissionDenied
from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.ui.responses import not_allowed, page_context
from socialdesk.web.ui.templating import render

router = APIRouter()
LIMIT = 200


@router.get("/admin/dead-letters")
def dead_letters_page(runtime: RuntimeDep, found: UiSessionDep) -> Response:
    user, session = found
    try:
        items = list_dead_letters(user, runtime.nats, LIMIT)
    except PermissionDenied as exc:
        return not_allowed(user, session, exc)
    scale_out = runtime.nats is not None
    return render(
        "dead_letters.html",
        **page_context(user, session, items=items, scale_out=scale_out, limit=LIMIT, nav="dead"),
    )
