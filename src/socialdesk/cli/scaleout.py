"""`socialdesk worker`: run one pipeline stage as its own process (scale-out mode)."""

from __future__ import annotations

import json
import logging
import signal
import threading
from typing import TYPE_CHECKING, Annotated

import typer

from socialdesk.cli.options import DbOption, fail, settings_for

if TYPE_CHECKING:
    from socialdesk.runtime import Runtime

STAGES = ("ingest", "deliver", "checks", "channels")


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    app.command("worker")(worker)
    from socialdesk.cli.bench_pipeline import bench_pipeline

    bench_app.command("pipeline")(bench_pipeline)


def worker(
    stage: Annotated[
        str,
        typer.Option(
            help="ingest (JetStream -> database), deliver (outbox -> network), checks (SLA, follow-ups) "
            "or channels (the channel accounts' streams and pollers -> database)."
        ),
    ],
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Concurrent batches in this process.")] = 1,
    batch: Annotated[int, typer.Option(min=1, max=5000, help="Messages fetched per batch.")] = 500,
    db: DbOption = None,
) -> None:
    """Consume a stage's stream until SIGTERM/SIGINT; ack only after the database commit."""
    from socialdesk.runtime import build_runtime, freeze_startup_objects

    if stage not in STAGES:
        fail(f"--stage {stage!r}: one of {', '.join(STAGES)}")
    # One timestamped line per event on stderr (a NATS or database outage: one line per change of state).
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = settings_for(db)
    if stage == "ingest" and not settings.nats_url:
        fail("the ingest stage needs SOCIALDESK_NATS_URL (scale-out mode)")
    runtime = build_runtime(settings, migrate=False)
    freeze_startup_objects()
    try:
        if stage == "ingest":
            _run_ingest(runtime, settings.nats_url or "", concurrency, batch)
        else:
            _run_thread(runtime, stage)
    finally:
        runtime.close()


def _run_ingest(runtime: Runtime, url: str, concurrency: int, batch: int) -> None:
    import asyncio

    from socialdesk.workers.ingest_stage import run_ingest_stage

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        stats = await run_ingest_stage(runtime, url, stop, batch=batch, concurrency=concurrency)
        typer.echo(json.dumps({"stage": "ingest", "batches": stats.batches, "acked": stats.acked,
                               "retried": stats.retried, "dead": stats.dead}), err=True)  # fmt: skip

    asyncio.run(main())


def _run_thread(runtime: Runtime, stage: str) -> None:
    """The stages that poll the database: the outbox relay and the care clocks."""
    from socialdesk.workers.care_checks import CareChecksThread
    from socialdesk.workers.channel_runner import ChannelRunner
    from socialdesk.workers.dispatcher import DispatcherThread

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    thread: DispatcherThread | CareChecksThread | ChannelRunner
    if stage == "deliver":
        thread = DispatcherThread(runtime, runtime.settings.dispatch_interval)
    elif stage == "channels":
        thread = ChannelRunner(runtime)
    else:
        thread = CareChecksThread(runtime)
    thread.start()
    stop.wait()
    thread.stop()
