"""`socialdesk demo` end to end: it starts, prints a login, serves the inbox and streams live traffic."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.waiting import PATIENCE, wait_until


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_line(proc: subprocess.Popen[str], pattern: str, timeout: float) -> re.Match[str]:
    deadline = time.monotonic() + timeout
    seen = []
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            if proc.poll() is not None:
                break
            continue
        seen.append(line)
        if match := re.search(pattern, line):
            return match
    raise AssertionError(f"demo did not print {pattern!r}; it printed: {''.join(seen)}")


@pytest.mark.slow
def test_demo_serves_live_inbox(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "SOCIALDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"}
    env.pop("SOCIALDESK_COOKIE_SECURE", None)
    cmd = [sys.executable, "-m", "socialdesk.cli.main", "demo", "--port", str(port), "--rate", "300"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        login = _wait_for_line(proc, r"log in as (\S+) with password: (\S+)", timeout=3 * PATIENCE)
        email, password = login.group(1), login.group(2)
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=PATIENCE) as client:

            def healthy() -> bool:
                try:
                    return client.get("/api/v1/health").status_code == 200
                except httpx.TransportError:
                    return False

            wait_until(healthy, "the demo to answer /api/v1/health")
            form = client.get("/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
            assert token is not None
            done = client.post(
                "/login", data={"email": email, "password": password, "csrf_token": token.group(1)}
            )
            assert done.status_code in (200, 303), done.text
            inbox = client.get("/")
            assert inbox.status_code == 200
            assert "conversation" in inbox.text.lower()
            first_rows = client.get("/inbox/rows").text.count("<tr")
            assert first_rows > 0  # the first hour of history is there

            # Live: the SSE stream carries an update for newly arriving demo posts within seconds.
            kinds = []
            with client.stream("GET", "/events", timeout=httpx.Timeout(PATIENCE)) as stream:
                deadline = time.monotonic() + PATIENCE
                for line in stream.iter_lines():
                    if line.startswith("data:"):
                        kinds.append(json.loads(line[5:])["kind"])
                        if kinds[-1] == "conversation.updated":
                            break
                    if time.monotonic() > deadline:
                        break
            assert "conversation.updated" in kinds
            assert "posts.ingested" not in kinds  # internal: never streamed to browsers
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=PATIENCE)
        except subprocess.TimeoutExpired:
            proc.kill()
