"""`socialdesk dev-cluster` as a real process: PostgreSQL + NATS + 2 web processes + workers, a post
through one web process seen from the other, then SIGTERM leaves no process behind."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.waiting import PATIENCE, wait_until

READY = "dev-cluster ready"
ROW = re.compile(r"^\s+(\S+)\s+(\S+)\s+pid (\d+)\s+log (\S+)$")


class Output:
    """The cluster's stdout, read line by line on a thread (a pipe must never fill up)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        assert process.stdout is not None
        stream = process.stdout
        self._thread = threading.Thread(target=lambda: self.lines.extend(stream), daemon=True)
        self._thread.start()

    def text(self) -> str:
        return "".join(self.lines)


def wait_for(check: Callable[[], bool], timeout: float, what: str, output: Output) -> None:
    try:
        wait_until(check, what, max(timeout, PATIENCE))
    except AssertionError as exc:
        raise AssertionError(f"{exc}; output:\n{output.text()}") from None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is gone for our purposes (its parent has not reaped it yet)
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.fixture
def data_dir() -> Iterator[Path]:
    # Under the temp folder, which the embedded PostgreSQL's own user can reach when we are root.
    folder = Path(tempfile.mkdtemp(prefix="socialdesk-dev-cluster-"))
    yield folder / "data"
    shutil.rmtree(folder, ignore_errors=True)


def login(base: str, email: str, password: str) -> tuple[httpx.Client, str]:
    """Log in through the login form like a browser; returns the client and the page's CSRF token."""
    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, page.text
    answer = client.post("/login", data={"email": email, "password": password, "csrf_token": token[1]})
    assert answer.status_code == 303, answer.text
    inbox = client.get("/")
    assert inbox.status_code == 200, inbox.text
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', inbox.text)
    assert csrf, inbox.text
    return client, csrf[1]


@pytest.mark.slow
def test_dev_cluster_serves_across_processes_and_stops_every_child(data_dir: Path) -> None:
    cmd = [sys.executable, "-m", "socialdesk.cli.main", "dev-cluster", "--web", "2", "--workers", "1"]
    process = subprocess.Popen(
        [*cmd, "--data-dir", str(data_dir)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = Output(process)
    pids: dict[str, int] = {}
    try:
        wait_for(lambda: READY in output.text() or process.poll() is not None, 300, "the table", output)
        assert process.poll() is None, output.text()
        rows = {m[1]: m for m in (ROW.match(line.rstrip("\n")) for line in output.lines) if m}
        pids = {name: int(m[3]) for name, m in rows.items()}
        assert {"web-1", "web-2", "ingest-1", "deliver", "checks", "channels", "nats", "postgresql"} <= set(
            rows
        )
        for name, m in rows.items():
            assert Path(m[4]).exists(), f"{name}'s log {m[4]} is missing"
        login_line = re.search(r"admin login: (\S+)\s+password: (\S+)", output.text())
        assert login_line, output.text()
        email, password = login_line[1], login_line[2]
        assert password not in " ".join(Path(f"/proc/{pids['web-1']}/cmdline").read_text().split("\0"))

        first, first_csrf = login(rows["web-1"][2], email, password)
        second, _ = login(rows["web-2"][2], email, password)
        post = {
            "id": "dev-cluster-1",
            "channel": "x",
            "text": "@acme my router blinks red since this morning",
            "created_at": "2026-12-07T09:00:00Z",
            "author": {"id": "u-dc-1", "handle": "blinky"},
        }
        queued = first.post("/api/v1/posts", json={"posts": [post]}, headers={"X-CSRF-Token": first_csrf})
        assert queued.status_code == 200, queued.text
        assert queued.json()["queued"] == 1  # scale-out: through JetStream to the ingest worker

        def seen_on_second() -> bool:
            page = second.get("/api/v1/conversations")
            assert page.status_code == 200, page.text
            return any(item["last_text"] == post["text"] for item in page.json()["items"])

        wait_for(seen_on_second, 60, "the post in the other web process's conversation list", output)
        first.close()
        second.close()

        # A second dev-cluster on the same data folder is refused, and touches nothing of the first.
        second_run = subprocess.run(
            [*cmd, "--data-dir", str(data_dir)], capture_output=True, text=True, timeout=120
        )
        assert second_run.returncode == 1
        assert f"another dev-cluster is running on {data_dir}" in second_run.stdout + second_run.stderr
        assert all(alive(pid) for pid in pids.values())

        # A child that dies is reported with its log file; the rest keep running.
        os.kill(pids["checks"], signal.SIGKILL)
        death = f"checks (pid {pids['checks']}) exited with code -9; its log: {rows['checks'][4]}"
        wait_for(lambda: death in output.text(), 60, "the death of the checks worker to be reported", output)
        assert process.poll() is None
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert code == 0, output.text()
    assert "dev-cluster stopped" in output.text()
    assert pids, output.text()
    wait_for(lambda: not any(alive(pid) for pid in pids.values()), 60, "every child to be gone", output)
    assert not (data_dir / "postgres" / "postmaster.pid").exists()  # PostgreSQL shut down cleanly
    for log in (data_dir / "logs").glob("*.log"):
        text = log.read_text(errors="replace")
        assert "Traceback" not in text, f"{log}:\n{text}"
        assert "NATS unreachable" not in text, f"{log}: a clean stop is not an outage:\n{text}"
