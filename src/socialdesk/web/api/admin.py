"""Admin views of the pipeline: messages a stage gave up on (the dead-letter stream)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, status

from socialdesk.web.deps import ApiUserDep, RuntimeDep

router = APIRouter(tags=["admin"])


@router.get("/admin/dead-letters")
def dead_letters(
    user: ApiUserDep, runtime: RuntimeDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> dict[str, Any]:
    """The newest posts of the admin's workspace that failed every attempt (scale-out mode), with the
    error. Admins only; another workspace's dead letters are never shown."""
    if not user.is_admin:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "admins only")
    if runtime.nats is None:
        return {"mode": "embedded", "items": []}
    items = runtime.nats.dead_letters(min(max(limit, 1), 1000), workspace_id=user.workspace_id)
    return {"mode": "scale-out", "items": items}
