"""The live stream, against a real uvicorn server on loopback (TestClient cannot end an endless stream)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from socialdesk.actions.accounts.credentials import do_end_session, do_start_session
from socialdesk.domain.people import User
from socialdesk.web.ui import events
from tests.support.waiting import PATIENCE, wait_until
from tests.web.ui.conftest import UiWorld, ui_post

TIMEOUT = httpx.Timeout(PATIENCE)  # ends only a hung stream: heartbeats come every few seconds


@pytest.fixture
def ui_server(ui_world: UiWorld, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(events, "HEARTBEAT_SECONDS", 0.3)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(ui_world.app, log_level="warning", lifespan="on", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        wait_until(lambda: server.started, "uvicorn to start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(PATIENCE)
        sock.close()
        assert not thread.is_alive(), "uvicorn did not stop"


def _cookie(ui_world: UiWorld, user: User) -> dict[str, str]:
    with ui_world.runtime.uow() as uow:
        new = do_start_session(uow, user, ui_world.runtime.clock.now(), 1)
        uow.commit()
    return {"Cookie": f"sd_session={new.token}"}


def _next_data(lines: Iterator[str]) -> dict[str, object]:
    for line in lines:
        if line.startswith("data: "):
            data: dict[str, object] = json.loads(line.removeprefix("data: "))
            return data
    raise AssertionError("the stream ended without an event")


def test_stream_sends_this_workspace_events_only(ui_server: str, ui_world: UiWorld) -> None:
    with (
        httpx.Client(base_url=ui_server, timeout=TIMEOUT) as client,
        client.stream("GET", "/events", headers=_cookie(ui_world, ui_world.ada)) as stream,
    ):
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines()
        assert next(lines) == "retry: 3000"
        assert next(lines) == ": connected"  # from here on the stream is subscribed
        ui_world.ingest(ui_world.bob.workspace_id, ui_post("1", "beta's post", minutes_ago=1))
        [cid] = ui_world.ingest(
            ui_world.ada.workspace_id, ui_post("2", "acme's post", minutes_ago=1)
        ).conversation_ids
        event = _next_data(lines)  # other keys may ride along; the page reads only these two
        assert (event["kind"], event["conversation_id"]) == ("conversation.updated", cid)


def test_stream_sends_heartbeats_and_ends_after_logout(ui_server: str, ui_world: UiWorld) -> None:
    headers = _cookie(ui_world, ui_world.ada)
    with (
        httpx.Client(base_url=ui_server, timeout=TIMEOUT) as client,
        client.stream("GET", "/events", headers=headers) as stream,
    ):
        lines = stream.iter_lines()
        assert ": heartbeat" in [next(lines) for _ in range(5)]
        token = headers["Cookie"].removeprefix("sd_session=")
        with ui_world.runtime.uow() as uow:
            do_end_session(uow, token)
            uow.commit()
        rest = list(lines)  # the server closes the stream at the next heartbeat
        assert all(not line.startswith("data:") for line in rest)
    with httpx.Client(base_url=ui_server, timeout=TIMEOUT) as client:
        assert client.get("/events", headers=headers).status_code == 401
