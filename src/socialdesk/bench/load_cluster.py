"""`socialdesk bench load --web N`: the load of `bench/load.py` against the scale-out mode on this
machine, started by `socialdesk dev-cluster`'s machinery (cluster/dev.py) in a temporary folder:
embedded PostgreSQL, NATS JetStream, N web processes, M ingest workers, the relay and the care clock.

The clients are spread over the web processes (round robin, as a load balancer would). Posts offered
to `POST /api/v1/posts` are published to JetStream and stored by the ingest workers, so besides the
rate the API accepted, the run reports how many the workers had stored when the load ended (and the
backlog left), and the CPU each tier used.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from socialdesk.bench.load import _figures, cpu_seconds, drive, load_average
from socialdesk.bench.reads import build
from socialdesk.config import Settings
from socialdesk.runtime import build_runtime
from socialdesk.storage.engine import normalize_url

DRAIN_S = 60.0  # how long the backlog may take to be stored after the load, before the run says so


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _stored(db_url: str, workspace_id: int) -> int:
    engine = create_engine(normalize_url(db_url))
    try:
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT count(*) FROM messages WHERE workspace_id = :ws AND external_id LIKE 'load%'"),
                {"ws": workspace_id},
            ).scalar_one()
    finally:
        engine.dispose()
    return int(found)


def _cpu(children: dict[str, int | None]) -> dict[str, float | None]:
    return {name: cpu_seconds(pid) for name, pid in children.items()}


def run_cluster(
    clients: int,
    rate: float,
    seconds: float,
    conversations: int,
    timeout: float = 30.0,
    *,
    web: int = 2,
    workers: int = 1,
) -> dict[str, Any]:
    from socialdesk.cluster.dev import DevCluster

    load_before = os.getloadavg()
    # Root runs the embedded PostgreSQL as another user, who must reach the folder (see dev.py).
    where = "/var/tmp" if os.geteuid() == 0 else None  # noqa: S108
    folder = Path(tempfile.mkdtemp(prefix="socialdesk-bench-load-", dir=where))
    cluster = DevCluster(data_dir=folder, web=web, workers=workers, say=_say, complain=_say)
    try:
        cluster.start(fresh=True)
        db_url = cluster.pg.url  # type: ignore[attr-defined]
        runtime = build_runtime(
            Settings(database_url=db_url, triage=False, triage_processes=0), migrate=False
        )
        try:
            ws, token = build(runtime, conversations)
        finally:
            runtime.close()
        children = {c.name: c.pid for c in [*cluster.webs, *cluster.stages]}
        cpu_before = _cpu(children)
        done = drive(cluster.web_ports(), token, clients, rate, seconds, conversations, timeout)
        cpu_after = _cpu(children)
        stored_at_end = _stored(db_url, ws)
        accepted = sum(f.accepted for f in done.feeders)
        deadline = time.monotonic() + DRAIN_S
        stored = stored_at_end
        while stored < accepted and time.monotonic() < deadline:
            time.sleep(1.0)
            stored = _stored(db_url, ws)
        drained_s = round(DRAIN_S - max(0.0, deadline - time.monotonic()), 1)
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
    ingest = done.ingest(rate)
    ingest["stored_posts_per_s"] = round(stored_at_end / max(max(f.seconds for f in done.feeders), 1e-9))
    ingest["backlog_at_end"] = accepted - stored_at_end
    ingest["backlog_stored_within_s"] = drained_s if stored >= accepted else None
    cpu: dict[str, float] = {}
    for name, before in cpu_before.items():
        after = cpu_after.get(name)
        if before is not None and after is not None:
            tier = name.rsplit("-", 1)[0] if name.startswith(("web-", "ingest-")) else name
            cpu[tier] = round(cpu.get(tier, 0.0) + after - before, 1)
    return {
        "backend": "postgresql + nats",
        "web_processes": web,
        "ingest_workers": workers,
        "clients": clients,
        "seconds": seconds,
        "conversations": conversations,
        "requests": _figures(done.tally),
        "ingest": ingest,
        "cpu_s": cpu,
        "web_cpu_ms_per_request": round(cpu.get("web", 0.0) * 1000 / max(done.answered, 1), 2),
        "load_average": load_average(load_before),
    }
