"""Load benchmark: N concurrent HTTP clients doing the agent mix (inbox list, conversation detail,
replies) against a real `socialdesk serve` on SQLite, while posts are ingested through the API.

Everything stays on 127.0.0.1: the server listens on a free loopback port, and the clients and the
ingest feeder connect only there. The run is bounded by `seconds` (and each request by `timeout`).
Reported per request kind: p50/p99, errors (an HTTP answer of 400 or more) and dropped requests (no
answer: refused, reset or timed out); and the ingest rate offered and reached.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialdesk.bench.reads import build
from socialdesk.config import Settings, child_environment
from socialdesk.runtime import build_runtime

HOST = "127.0.0.1"
# The agent mix: what share of requests goes to each kind.
MIX = (("inbox", 0.5), ("conversation", 0.35), ("reply", 0.15))
FEEDERS = 4  # connections offering posts


@dataclass
class Tally:
    took_ms: dict[str, list[float]] = field(default_factory=lambda: {kind: [] for kind, _ in MIX})
    errors: dict[str, int] = field(default_factory=lambda: {kind: 0 for kind, _ in MIX})
    dropped: dict[str, int] = field(default_factory=lambda: {kind: 0 for kind, _ in MIX})
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, took_ms: float, status: int | None) -> None:
        with self.lock:
            if status is None:
                self.dropped[kind] += 1
            elif status >= 400:
                self.errors[kind] += 1
            else:
                self.took_ms[kind].append(took_ms)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _request(conn: http.client.HTTPConnection, method: str, path: str, token: str, body: Any = None) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=headers)
    answer = conn.getresponse()
    answer.read()
    return answer.status


class Client(threading.Thread):
    def __init__(
        self, port: int, token: str, conversations: int, until: float, tally: Tally, seed: int, timeout: float
    ) -> None:
        super().__init__(daemon=True)
        self.port, self.token, self.conversations = port, token, conversations
        self.until, self.tally, self.timeout = until, tally, timeout
        self.rng = random.Random(seed)

    def run(self) -> None:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        kinds = [kind for kind, _ in MIX]
        weights = [share for _, share in MIX]
        while time.perf_counter() < self.until:
            kind = self.rng.choices(kinds, weights)[0]
            conv = self.rng.randint(1, self.conversations)
            started = time.perf_counter()
            status: int | None
            try:
                if kind == "inbox":
                    status = _request(conn, "GET", "/api/v1/conversations?limit=50", self.token)
                elif kind == "conversation":
                    status = _request(conn, "GET", f"/api/v1/conversations/{conv}", self.token)
                else:
                    body = {"text": "Thanks, we are looking into it."}
                    status = _request(conn, "POST", f"/api/v1/conversations/{conv}/replies", self.token, body)
            except (OSError, http.client.HTTPException):
                status = None
                conn.close()
                conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            self.tally.record(kind, (time.perf_counter() - started) * 1000, status)
        conn.close()


class Feeder(threading.Thread):
    """Posts offered through `POST /api/v1/posts` at `rate` posts/s, in batches of `batch`."""

    def __init__(
        self,
        port: int,
        token: str,
        rate: float,
        until: float,
        timeout: float,
        first: int = 0,
        batch: int = 50,
    ) -> None:
        super().__init__(daemon=True)
        self.port, self.token, self.rate, self.until, self.first = port, token, rate, until, first
        self.timeout, self.batch = timeout, batch
        self.offered = self.accepted = self.failed = 0
        self.seconds = 0.0

    def run(self) -> None:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        started = time.perf_counter()
        n = 0
        while time.perf_counter() < self.until:
            delay = started + n / self.rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            posts = [_post_dict(self.first + i) for i in range(n, n + self.batch)]
            n += self.batch
            self.offered += len(posts)
            try:
                status = _request(conn, "POST", "/api/v1/posts", self.token, {"posts": posts})
            except (OSError, http.client.HTTPException):
                status = None
                conn.close()
                conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            if status is not None and status < 400:
                self.accepted += len(posts)
            else:
                self.failed += len(posts)
        self.seconds = time.perf_counter() - started
        conn.close()


def _post_dict(i: int) -> dict[str, Any]:
    return {
        "id": f"load{i}",
        "channel": "x",
        "text": f"@AcmeCares still no answer about order {i}",
        "created_at": "2026-01-05T10:00:00Z",
        "author": {"id": f"loada{i % 5000}", "handle": f"loadcust{i % 5000}", "name": "Load", "followers": 5},
    }


@contextlib.contextmanager
def _server(db_url: str, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = child_environment({"SOCIALDESK_DATABASE_URL": db_url})
    cmd = [sys.executable, "-m", "socialdesk.cli.main", "serve", "--host", HOST, "--port", str(port)]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            _wait_healthy(proc, port)
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_healthy(proc: subprocess.Popen[bytes], port: int, deadline_s: float = 120.0) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"socialdesk serve exited with {proc.returncode} before answering")
        with contextlib.suppress(OSError, http.client.HTTPException):
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/api/v1/health")
            if conn.getresponse().status == 200:
                conn.close()
                return
        time.sleep(0.2)
    raise RuntimeError(f"socialdesk serve did not answer on {HOST}:{port} within {deadline_s:.0f} s")


def _figures(tally: Tally) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind, _ in MIX:
        took = sorted(tally.took_ms[kind])
        q = statistics.quantiles(took, n=100) if len(took) > 2 else [float("nan")] * 99
        out[kind] = {
            "answered": len(took),
            "p50_ms": round(q[49], 1),
            "p99_ms": round(q[98], 1),
            "errors": tally.errors[kind],
            "dropped": tally.dropped[kind],
        }
    return out


def cpu_seconds(pid: int | None) -> float | None:
    """CPU time (user + system) a process has used so far, from /proc (None where there is none)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Drive:
    """One load run against web processes on `ports`: the clients' tally and the feeders."""

    tally: Tally
    feeders: list[Feeder]

    def ingest(self, rate: float) -> dict[str, Any]:
        seconds = max(max(f.seconds for f in self.feeders), 1e-9)
        return {
            "offered_posts_per_s": rate,
            "accepted_posts_per_s": round(sum(f.accepted for f in self.feeders) / seconds),
            "posts_failed": sum(f.failed for f in self.feeders),
        }

    @property
    def answered(self) -> int:
        return sum(len(took) for took in self.tally.took_ms.values())


def drive(
    ports: list[int],
    token: str,
    clients: int,
    rate: float,
    seconds: float,
    conversations: int,
    timeout: float,
) -> Drive:
    """`clients` clients and the post feeders, spread over the web processes' ports, for `seconds`."""
    tally = Tally()
    until = time.perf_counter() + seconds
    # Several connections, each offering its share: one waits for each batch to be stored, so
    # alone it could offer no more than its batch size over the ingest latency.
    feeders = [
        Feeder(ports[k % len(ports)], token, rate / FEEDERS, until, timeout, first=k * 10_000_000)
        for k in range(FEEDERS)
    ]
    threads = [
        Client(ports[n % len(ports)], token, conversations, until, tally, n, timeout) for n in range(clients)
    ]
    for feeder in feeders:
        feeder.start()
    for client in threads:
        client.start()
    waiting: list[threading.Thread] = [*feeders, *threads]
    for thread in waiting:
        thread.join(seconds + timeout + 30)
    return Drive(tally, feeders)


def load_average(before: tuple[float, float, float]) -> dict[str, list[float]]:
    return {"before": [round(x, 2) for x in before], "after": [round(x, 2) for x in os.getloadavg()]}


def run(
    clients: int, rate: float, seconds: float, conversations: int, timeout: float = 30.0
) -> dict[str, Any]:
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        db_url = f"sqlite:///{Path(folder) / 'load.db'}"
        runtime = build_runtime(Settings(database_url=db_url, triage=False, triage_processes=0))
        try:
            _ws, token = build(runtime, conversations)
        finally:
            runtime.close()
        port = free_port()
        with _server(db_url, port, Path(folder) / "serve.log") as server:
            cpu_before = cpu_seconds(server.pid)
            done = drive([port], token, clients, rate, seconds, conversations, timeout)
            cpu_after = cpu_seconds(server.pid)
    result: dict[str, Any] = {
        "backend": "sqlite",
        "web_processes": 1,
        "clients": clients,
        "seconds": seconds,
        "conversations": conversations,
        "requests": _figures(done.tally),
        "ingest": done.ingest(rate),
    }
    if cpu_before is not None and cpu_after is not None:
        # CPU the server used per request answered (its ingest included): a figure that depends
        # less than latency on what else the machine runs.
        result["server_cpu_s"] = round(cpu_after - cpu_before, 1)
        result["server_cpu_ms_per_request"] = round(
            (cpu_after - cpu_before) * 1000 / max(done.answered, 1), 2
        )
    result["load_average"] = load_average(load_before)
    return result
