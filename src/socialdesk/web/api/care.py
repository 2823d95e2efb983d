"""The care workflow's endpoints, mounted under /api/v1 with the core routes (see routes.py)."""

from __future__ import annotations

from fastapi import APIRouter

from socialdesk.web.api.care_collab import router as collab_router
from socialdesk.web.api.care_teams import router as teams_router
from socialdesk.web.api.care_threads import router as threads_router
from socialdesk.web.api.incidents import router as incidents_router
from socialdesk.web.api.moderation import router as moderation_router

router = APIRouter()
router.include_router(teams_router)
router.include_router(collab_router)
router.include_router(threads_router)
router.include_router(incidents_router)
router.include_router(moderation_router)
