"""`socialdesk demo`: a demo workspace with a working desk (see demo_seed.py), a first hour of traffic, then
live."""

from __future__ import annotations

from datetime import timedelta

import typer

from socialdesk.actions.inbox.ingest_stream import ingest_records
from socialdesk.cli.demo_seed import seed_demo, seed_demo_work
from socialdesk.config import Settings, set_environment_default
from socialdesk.demo.traffic import generate_posts, stream_posts
from socialdesk.ingest.validate import post_from_dict
from socialdesk.runtime import build_runtime, freeze_startup_objects
from socialdesk.web.app import create_app
from socialdesk.workers.care_checks import CareChecksThread
from socialdesk.workers.demo_feed import DemoFeedThread
from socialdesk.workers.dispatcher import DispatcherThread


def run_demo(
    settings: Settings, *, host: str | None, port: int | None, rate: float | None, seed: int
) -> None:
    import uvicorn

    if "cookie_secure" not in settings.model_fields_set:  # neither SOCIALDESK_COOKIE_SECURE nor an override
        # The demo serves plain http on this machine; Safari drops Secure cookies there.
        settings = settings.model_copy(update={"cookie_secure": False})
    runtime = build_runtime(settings)
    with runtime.uow() as uow:
        desk = seed_demo(uow, runtime.clock.now())
        ws = desk.workspace
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
    if desk.seeded_now:
        with runtime.uow() as uow:
            seed_demo_work(uow, ws.id, runtime.clock.now())

    per_minute = rate or settings.demo_posts_per_minute
    feed = DemoFeedThread(runtime, ws.id, stream_posts(seed=seed + 1, posts_per_minute=per_minute))
    background = [DispatcherThread(runtime, settings.dispatch_interval), CareChecksThread(runtime), feed]
    app = create_app(runtime, background=background)
    bind_host, bind_port = host or settings.host, port or settings.port
    typer.echo(f"socialdesk demo: http://{bind_host}:{bind_port}/")
    typer.echo(f"workspace: {ws.name} ({ws.slug})")
    for person in desk.people:
        if person.password is not None:
            typer.echo(f"log in as {person.email} with password: {person.password}  ({person.role})")
        else:
            typer.echo(
                f"log in as {person.email} ({person.role}; its password was shown when it was created)"
            )
    if any(p.password is not None for p in desk.people):
        typer.echo("(passwords are shown once; create more users with `socialdesk users create`)")
    else:
        typer.echo(f"(delete {settings.database_url.removeprefix('sqlite:///')} to start over)")
    if desk.seeded_now:
        typer.echo("set up: monitors per brand, teams Front line and Billing & accounts with routing rules,")
        typer.echo(
            "        an SLA policy on business hours, saved replies, an agent and an agent in training"
        )
    typer.echo(f"streaming about {per_minute:g} generated posts a minute; Ctrl+C stops")
    set_environment_default("SOCIALDESK_DATABASE_URL", settings.database_url)
    freeze_startup_objects()
    uvicorn.run(app, host=bind_host, port=bind_port, log_level="warning", proxy_headers=False)
