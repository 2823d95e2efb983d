"""A real browser (Debian's Chromium driven by Playwright) against a real server on 127.0.0.1.

`make test` installs Chromium with apt when it is missing. In CI a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.config import Settings
from socialdesk.demo.traffic import BRANDS
from socialdesk.domain.people import Role
from socialdesk.runtime import build_runtime
from socialdesk.web.app import create_app
from socialdesk.workers.dispatcher import DispatcherThread
from tests.support.waiting import PATIENCE, wait_until

CHROMIUM = os.environ.get("SOCIALDESK_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
PASSWORD = "correct-horse-battery"


@dataclass
class Served:
    url: str
    runtime: Any
    workspace_id: int
    email: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        message = f"no Chromium at {CHROMIUM}: run `make browser` (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import expect, sync_playwright

    # Every `expect(...)` waits for its condition up to PATIENCE, on a busy machine too.
    expect.set_options(timeout=PATIENCE * 1000)
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield b
        b.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'ui.db'}", cookie_secure=False, triage=True)
    runtime = build_runtime(settings)
    with runtime.uow() as uow:
        ws = ensure_workspace(uow, "demo")
        for brand in BRANDS:
            for channel, handle in brand.handles.items():
                check_add_brand_account(uow, ws.id, channel, handle)
        check_create_user(uow, ws.id, "ada@demo.test", "Ada Byron", PASSWORD, Role.ADMIN)
        uow.commit()
    port = _free_port()
    app = create_app(runtime, background=[DispatcherThread(runtime, 0.2)])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started, "the test server to start")
    yield Served(f"http://127.0.0.1:{port}", runtime, ws.id, "ada@demo.test")
    server.should_exit = True
    thread.join(timeout=PATIENCE)
    runtime.close()
