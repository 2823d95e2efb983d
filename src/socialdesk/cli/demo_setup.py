"""`socialdesk demo`: a demo workspace, its brand accounts, an admin, a first hour of traffic, then live."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta

import typer

from socialdesk.actions.accounts import check_add_brand_account, check_create_user, ensure_workspace
from socialdesk.actions.ingest_stream import ingest_records
from socialdesk.config import Settings
from socialdesk.demo.traffic import BRANDS, generate_posts, stream_posts
from socialdesk.domain.people import Role
from socialdesk.ingest.validate import post_from_dict
from socialdesk.runtime import build_runtime, freeze_startup_objects
from socialdesk.web.app import create_app
from socialdesk.workers.care_checks import CareChecksThread
from socialdesk.workers.demo_feed import DemoFeedThread
from socialdesk.workers.dispatcher import DispatcherThread

DEMO_WORKSPACE = "demo"
DEMO_ADMIN = "admin@demo.socialdesk.local"


def run_demo(
    settings: Settings, *, host: str | None, port: int | None, rate: float | None, seed: int
) -> None:
    import uvicorn

    if "SOCIALDESK_COOKIE_SECURE" not in os.environ:
        # The demo serves plain http on this machine; Safari drops Secure cookies there.
        settings = settings.model_copy(update={"cookie_secure": False})
    runtime = build_runtime(settings)
    with runtime.uow() as uow:
        ws = ensure_workspace(uow, DEMO_WORKSPACE, "Demo brands")
        for brand in BRANDS:
            for channel, handle in brand.handles.items():
                check_add_brand_account(uow, ws.id, channel, handle)
        found = uow.users.get_by_email(DEMO_ADMIN)
        password = secrets.token_urlsafe(12)
        fresh_admin = found is None
        if fresh_admin:
            now = runtime.clock.now()
            check_create_user(uow, ws.id, DEMO_ADMIN, "Demo Admin", password, Role.ADMIN, now=now)
        uow.commit()
        already = uow.messages.count(ws.id)

    if already == 0:
        # A first hour of history so the inbox is not empty, then live traffic from now on.
        start = runtime.clock.now() - timedelta(hours=1)
        history = generate_posts(120, seed=seed, start=start, posts_per_minute=2.0)
        ingest_records(
            runtime.uow,
            ws.id,
            ((i, post_from_dict(p, i)) for i, p in enumerate(history, 1)),
            runtime.clock,
            annotator=runtime.annotator,
        )

    per_minute = rate or settings.demo_posts_per_minute
    feed = DemoFeedThread(runtime, ws.id, stream_posts(seed=seed + 1, posts_per_minute=per_minute))
    background = [DispatcherThread(runtime, settings.dispatch_interval), CareChecksThread(runtime), feed]
    app = create_app(runtime, background=background)
    bind_host, bind_port = host or settings.host, port or settings.port
    typer.echo(f"socialdesk demo: http://{bind_host}:{bind_port}/")
    if fresh_admin:
        typer.echo(f"log in as {DEMO_ADMIN} with password: {password}")
        typer.echo("(shown once; create more users with `socialdesk users create`)")
    else:
        typer.echo(f"log in as {DEMO_ADMIN} (its password was shown when it was created;")
        typer.echo(f" delete {settings.database_url.removeprefix('sqlite:///')} to start over)")
    typer.echo(f"streaming about {per_minute:g} generated posts a minute; Ctrl+C stops")
    os.environ.setdefault("SOCIALDESK_DATABASE_URL", settings.database_url)
    freeze_startup_objects()
    uvicorn.run(app, host=bind_host, port=bind_port, log_level="warning", proxy_headers=False)
