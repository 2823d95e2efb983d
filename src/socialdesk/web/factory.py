"""An app factory for `uvicorn --factory` and multi-process serving: builds everything from Settings."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from socialdesk.config import Settings
from socialdesk.runtime import build_runtime, freeze_startup_objects
from socialdesk.web.app import create_app
from socialdesk.workers.care_checks import CareChecksThread
from socialdesk.workers.channel_runner import ChannelRunner
from socialdesk.workers.dispatcher import DispatcherThread


def app_from_settings() -> FastAPI:
    settings = Settings()
    runtime = build_runtime(settings, migrate=False)
    background: list[Any] = []
    if settings.serve_relay_and_checks:
        background += [DispatcherThread(runtime, settings.dispatch_interval), CareChecksThread(runtime)]
    if settings.channel_runner:
        background.append(ChannelRunner(runtime))  # idles until a channel account exists
    app = create_app(runtime, background=background)
    if runtime.nats is None:
        runtime.ingest_queue().warm_up()  # the triage process starts with the server, not the first post
    freeze_startup_objects()
    return app
