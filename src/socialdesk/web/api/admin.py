"""Admin views of the pipeline: messages a stage gave up on (the dead-letter stream)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from socialdesk.actions.inbox.dead_letters import list_dead_letters
from socialdesk.web.deps import ApiUserDep, RuntimeDep

router = APIRouter(tags=["admin"])


@router.get("/admin/dead-letters")
def dead_letters(
    user: ApiUserDep, runtime: RuntimeDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> dict[str, Any]:
    """The newest posts of the admin's workspace that failed every attempt (scale-out mode), with the
    error. Admins only; another workspace's dead letters are never shown."""
    items = list_dead_letters(user, runtime.nats, limit)
    return {"mode": "embedded" if runtime.nats is None else "scale-out", "items": items}
