"""An app factory for `uvicorn --factory` and multi-process serving: builds everything from Settings."""

from __future__ import annotations

from fastapi import FastAPI

from socialdesk.config import Settings
from socialdesk.runtime import build_runtime
from socialdesk.web.app import create_app
from socialdesk.workers.care_checks import CareChecksThread
from socialdesk.workers.dispatcher import DispatcherThread


def app_from_settings() -> FastAPI:
    settings = Settings()
    runtime = build_runtime(settings, migrate=False)
    background = [DispatcherThread(runtime, settings.dispatch_interval), CareChecksThread(runtime)]
    return create_app(runtime, background=background)
