"""The FastAPI application: REST API under /api/v1, the agent UI at /, live updates over SSE."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from socialdesk import __version__
from socialdesk.domain.care import PublicReplyNeedsConfirmation
from socialdesk.domain.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from socialdesk.runtime import Runtime
from socialdesk.web.api.accounts import router as accounts_router
from socialdesk.web.api.admin import router as admin_router
from socialdesk.web.api.analytics import router as analytics_router
from socialdesk.web.api.assist import router as assist_router
from socialdesk.web.api.channels import router as channels_router
from socialdesk.web.api.channels import webhooks as webhooks_router
from socialdesk.web.api.errors import document_error_answers
from socialdesk.web.api.knowledge import router as knowledge_router
from socialdesk.web.api.monitors import router as monitors_router
from socialdesk.web.api.public_status import router as public_status_router
from socialdesk.web.api.routes import router as api_router
from socialdesk.web.api.rules import router as rules_router
from socialdesk.web.body_limit import BodyLimitMiddleware
from socialdesk.web.deps import LoginRequired
from socialdesk.web.live import LiveHub
from socialdesk.web.login_redirect import to_login as login_redirect
from socialdesk.web.nul_guard import RefuseNul
from socialdesk.web.presence import SharedPresenceHub, presence_hub_for
from socialdesk.web.security_headers import SecurityHeaders


def create_app(runtime: Runtime, *, background: list[Any] | None = None) -> FastAPI:
    """`background`: objects whose start() and stop() bracket the app's life (dispatcher, demo feed)."""
    hub = LiveHub()
    tasks = background or []
    # Several web processes share presence over NATS; one embedded process keeps it in memory.
    presence = presence_hub_for(runtime.bus, shared=runtime.nats is not None)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        hub.start(runtime.bus, asyncio.get_running_loop())
        if isinstance(presence, SharedPresenceHub):
            presence.start()
        for task in tasks:
            task.start()
        try:
            yield
        finally:
            for task in reversed(tasks):
                task.stop()
            runtime.stop_ingest()  # posts already accepted are stored before the server exits
            if isinstance(presence, SharedPresenceHub):
                presence.stop()
            hub.stop()

    app = FastAPI(
        title="socialdesk",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        # No Swagger UI page: it loads its script and styles from a CDN, which the CSP (rightly) blocks,
        # and serving a third-party bundle beside the agent UI's session would loosen that CSP.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    app.state.hub = hub
    app.state.presence = presence
    app.include_router(api_router, prefix="/api/v1")
    app.include_router(monitors_router, prefix="/api/v1")
    app.include_router(rules_router, prefix="/api/v1")
    app.include_router(admin_router, prefix="/api/v1")
    app.include_router(accounts_router, prefix="/api/v1")
    app.include_router(analytics_router, prefix="/api/v1")
    app.include_router(channels_router, prefix="/api/v1")
    app.include_router(knowledge_router, prefix="/api/v1")
    app.include_router(assist_router, prefix="/api/v1")
    app.include_router(webhooks_router, prefix="/api/v1")  # signed by the sender, no user token
    app.include_router(public_status_router, prefix="/api/v1")  # public: no token, rate-limited
    document_error_answers(app)  # the common 4xx/503 answers, on every route of the OpenAPI
    _include_ui(app)
    _error_handlers(app)
    app.add_middleware(BodyLimitMiddleware, settings=lambda: runtime.settings)  # 413 before reading

    app.add_middleware(RefuseNul)  # a NUL in the URL or a form: 422 (JSON bodies: InputModel)
    app.add_middleware(SecurityHeaders)  # CSP and friends on every answer
    return app


def _include_ui(app: FastAPI) -> None:
    try:
        from socialdesk.web.ui.routes import router as ui_router
    except ModuleNotFoundError as exc:  # the UI package is optional while it is being built
        if exc.name != "socialdesk.web.ui.routes":
            raise
        return
    app.include_router(ui_router)


def _error_handlers(app: FastAPI) -> None:
    def answer(code: int) -> Callable[[Request, Exception], Response]:
        def handler(_request: Request, exc: Exception) -> Response:
            return JSONResponse({"detail": str(exc)}, status_code=code)

        return handler

    app.add_exception_handler(NotFound, answer(404))
    app.add_exception_handler(PermissionDenied, answer(403))
    app.add_exception_handler(ValidationFailed, answer(422))
    app.add_exception_handler(InvalidTransition, answer(409))

    def needs_confirmation(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PublicReplyNeedsConfirmation)
        return JSONResponse({"detail": {"message": str(exc), "confirm": exc.confirm}}, status_code=409)

    app.add_exception_handler(PublicReplyNeedsConfirmation, needs_confirmation)

    def to_login(request: Request, _exc: Exception) -> Response:
        return login_redirect(request)  # HTMX: the whole page, back to the page shown (not a fragment)

    app.add_exception_handler(LoginRequired, to_login)
