"""`/admin/dead-letters`: the posts of this workspace the pipeline gave up on (admins only).

In scale-out mode a post that fails every attempt goes to the JetStream stream `SD_DEAD` with the
error; this page lists the workspace's newest ones. In the embedded mode posts are stored in the
request that brings them, so a failure is answered to the sender and nothing is parked.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from socialdesk.web.deps import RuntimeDep, UiSessionDep
from socialdesk.web.ui.responses import admins_only, page_context
from socialdesk.web.ui.templating import render

router = APIRouter()
LIMIT = 200


@router.get("/admin/dead-letters")
def dead_letters_page(runtime: RuntimeDep, found: UiSessionDep) -> Response:
    user, session = found
    if not user.is_admin:
        return admins_only(user, session, "see the posts the pipeline gave up on")
    scale_out = runtime.nats is not None
    items = runtime.nats.dead_letters(LIMIT, workspace_id=user.workspace_id) if runtime.nats else []
    return render(
        "dead_letters.html",
        **page_context(user, session, items=items, scale_out=scale_out, limit=LIMIT, nav="dead"),
    )
