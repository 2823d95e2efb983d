"""`socialdesk dev-cluster`: the scale-out mode on one machine, started and stopped as one.

PostgreSQL (embedded, data kept in the data folder between runs), NATS with JetStream, N web processes
(`socialdesk serve`) and the workers (`socialdesk worker`: M ingest stages, one outbox relay, one care
clock, one channel stage), each a child process in a group of its own with a log file. Settings reach
the children through their environment, never their command line. Stopping (Ctrl-C, SIGTERM) goes
tier by tier: web, workers, NATS, then PostgreSQL last.
"""

from __future__ import annotations

import fcntl
import logging
import os
import secrets
import shutil
import signal
import socket
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO

from socialdesk.cluster.children import Child, newly_dead, stop_tier

log = logging.getLogger(__name__)

WORKSPACE = "dev"
ADMIN_EMAIL = "admin@cluster.socialdesk.local"
START_TIMEOUT = 180.0  # web processes load the triage model; on a busy 2-core machine that takes a while


def default_data_dir() -> Path:
    """~/.cache/socialdesk/dev-cluster; for root /var/tmp/socialdesk-dev-cluster, because the embedded
    PostgreSQL then runs as another user, who must be able to reach the folder (root's home is closed)."""
    if os.geteuid() == 0:
        return Path("/var/tmp/socialdesk-dev-cluster")  # noqa: S108 (a fixed, documented place)
    return Path.home() / ".cache" / "socialdesk" / "dev-cluster"


class ClusterError(RuntimeError):
    """Start-up failed: the message says what and where to look."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _healthy(port: int) -> bool:
    try:
        # Our own web process on loopback.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2) as answer:
            return int(answer.status) == 200
    except OSError:
        return False


@dataclass
class DevCluster:
    data_dir: Path
    web: int = 2
    workers: int = 1
    say: Callable[[str], None] = print
    complain: Callable[[str], None] = print  # errors and deaths (stderr in the CLI)
    webs: list[Child] = field(default_factory=list)
    stages: list[Child] = field(default_factory=list)
    nats: Child | None = None
    pg: object | None = None  # KeptPostgres, imported lazily (the CLI must start fast)
    stopping: threading.Event = field(default_factory=threading.Event)
    workspace_id: int = 0
    _stopped: bool = False
    _password: str | None = None
    _lock: IO[str] | None = None
    _traffic: threading.Thread | None = None

    @property
    def logs(self) -> Path:
        return self.data_dir / "logs"

    # --- start ----------------------------------------------------------------------------------
    def run(self, *, fresh: bool = False, demo_traffic: bool = False) -> int:
        """Start everything, print the table, watch until a stop signal; 0 after a clean stop."""
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            try:
                self._start(fresh)
            except (ClusterError, RuntimeError, OSError) as exc:
                self.complain(f"error: {exc}")
                if self._password is not None:  # created in this run: it is never shown again
                    self.say(
                        f"admin login (created before the failure): {ADMIN_EMAIL}  password: {self._password}"
                    )
                return 1
            if self.stopping.is_set():
                return 0
            if demo_traffic:
                self._start_demo_traffic()
            self._watch()
            return 0
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def start(self, *, fresh: bool = False) -> None:
        """Start everything and return once the web processes answer (`bench load --web`); the caller
        stops it with `stop()`. Raises ClusterError saying what failed and where its log is."""
        self._start(fresh)

    def web_ports(self) -> list[int]:
        return [int(c.url.rstrip("/").rsplit(":", 1)[1]) for c in self.webs]

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping.set()

    def _start(self, fresh: bool) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._take_lock()
        self.say(f"socialdesk dev-cluster: data in {self.data_dir}")
        if fresh:
            from socialdesk.storage.embedded_pg import stop_postgres_in

            if stop_postgres_in(self.data_dir / "postgres"):  # left running by a run killed with -9
                self.say("stopped the PostgreSQL server a previous run left behind")
            for part in ("postgres", "nats", "logs", "secret.key"):
                path = self.data_dir / part
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        self.logs.mkdir(exist_ok=True)
        db_url = self._start_postgres()
        if self.stopping.is_set():
            return
        self._password = password = self._workspace_and_admin(db_url)
        nats_url = self._start_nats()
        env = self._child_env(db_url, nats_url)
        me = [sys.executable, "-m", "socialdesk.cli.main"]
        stage_names = [("ingest", f"ingest-{i}") for i in range(1, self.workers + 1)]
        stage_names += [("deliver", "deliver"), ("checks", "checks"), ("channels", "channels")]
        for stage, name in stage_names:
            cmd = [*me, "worker", "--stage", stage]
            self.stages.append(Child(name, cmd, self.logs / f"{name}.log", env).start())
        for i in range(1, self.web + 1):
            port = _free_port()
            cmd = [*me, "serve", "--host", "127.0.0.1", "--port", str(port)]
            child = Child(f"web-{i}", cmd, self.logs / f"web-{i}.log", env, url=f"http://127.0.0.1:{port}/")
            self.webs.append(child.start())
        self._wait_for_webs()
        if not self.stopping.is_set():
            self._print_table(db_url, password)

    def _take_lock(self) -> None:
        lock = open(self.data_dir / "dev-cluster.lock", "a+")  # noqa: SIM115 (held while running)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            raise ClusterError(
                f"another dev-cluster is running on {self.data_dir}; stop it or pass another --data-dir"
            ) from None
        self._lock = lock

    def _start_postgres(self) -> str:
        from socialdesk.storage.embedded_pg import start_kept_postgres

        pgdata = self.data_dir / "postgres"
        self.say("starting PostgreSQL" + ("" if (pgdata / "PG_VERSION").exists() else " (new cluster)"))
        try:
            self.pg = pg = start_kept_postgres(pgdata)
        except Exception as exc:
            raise ClusterError(
                f"PostgreSQL did not start in {pgdata}: {exc} (its log: {pgdata / 'log'})"
            ) from exc
        return pg.url

    def _workspace_and_admin(self, db_url: str) -> str | None:
        """Migrate, then create the workspace, the demo brands' accounts and the admin (with a new
        password, returned to be shown once) unless they exist."""
        from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
        from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
        from socialdesk.config import Settings
        from socialdesk.demo.traffic import BRANDS
        from socialdesk.domain.people import Role
        from socialdesk.runtime import build_runtime

        runtime = build_runtime(Settings(database_url=db_url, nats_url=None, triage=False), migrate=True)
        try:
            with runtime.uow() as uow:
                ws = ensure_workspace(uow, WORKSPACE, "Dev cluster")
                for brand in BRANDS:
                    for channel, handle in brand.handles.items():
                        check_add_brand_account(uow, ws.id, channel, handle)
                password = None
                if uow.users.get_by_email(ADMIN_EMAIL) is None:
                    password = secrets.token_urlsafe(15)
                    now = runtime.clock.now()
                    check_create_user(uow, ws.id, ADMIN_EMAIL, "Cluster Admin", password, Role.ADMIN, now=now)
                self.workspace_id = ws.id
        finally:
            runtime.close()
        return password

    def _start_nats(self) -> str:
        from socialdesk.bus.nats_server import nats_server_binary

        port = _free_port()
        store = self.data_dir / "nats"
        cmd = [nats_server_binary(), "-a", "127.0.0.1", "-p", str(port), "-js", "-sd", str(store)]
        url = f"nats://127.0.0.1:{port}"
        self.nats = Child("nats", cmd, self.logs / "nats.log", url=url).start()
        self._wait("NATS to listen", lambda: _listening(port), [self.nats], 30.0)
        return url

    def _child_env(self, db_url: str, nats_url: str) -> dict[str, str]:
        from socialdesk.config import child_environment

        key_file = self.data_dir / "secret.key"
        if not key_file.exists():
            from socialdesk.channels.crypto import new_key

            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(new_key())
        return child_environment(
            {
                "SOCIALDESK_DATABASE_URL": db_url,
                "SOCIALDESK_NATS_URL": nats_url,
                "SOCIALDESK_SECRET_KEY": key_file.read_text().strip(),
                "SOCIALDESK_COOKIE_SECURE": "false",  # plain http on this machine
                "SOCIALDESK_CHANNEL_RUNNER": "false",  # the channels worker runs them
                "SOCIALDESK_SERVE_RELAY_AND_CHECKS": "false",  # the deliver and checks workers run them, once
                "PYTHONUNBUFFERED": "1",
            }
        )

    def _wait(self, what: str, ready: Callable[[], bool], watched: list[Child], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self.stopping.is_set():
            if ready():
                return
            dead = [c for c in watched if c.exit_code() is not None]
            if dead:
                c = dead[0]
                raise ClusterError(
                    f"{c.name} exited with code {c.exit_code()} while starting; its log: {c.log_path}"
                )
            if time.monotonic() > deadline:
                raise ClusterError(f"timed out after {timeout:.0f} s waiting for {what}; logs in {self.logs}")
            time.sleep(0.2)

    def _wait_for_webs(self) -> None:
        ports = self.web_ports()
        everyone = [*self.webs, *self.stages]
        if self.nats is not None:
            everyone.append(self.nats)
        self._wait("the web processes", lambda: all(_healthy(p) for p in ports), everyone, START_TIMEOUT)

    def _print_table(self, db_url: str, password: str | None) -> None:
        from socialdesk.storage.embedded_pg import KeptPostgres

        rows: list[tuple[str, str, int | None, Path]] = [
            (c.name, c.url, c.pid, c.log_path) for c in self.webs
        ]
        rows += [(c.name, "", c.pid, c.log_path) for c in self.stages]
        if self.nats is not None:
            rows.append(("nats", self.nats.url, self.nats.pid, self.nats.log_path))
        if isinstance(self.pg, KeptPostgres):
            rows.append(("postgresql", db_url, self.pg.pid, self.pg.log_path))
        width = max(len(url) for _, url, _, _ in rows)
        self.say("")
        for name, url, pid, log_path in rows:
            self.say(f"  {name:<11} {url or '-':<{width}}  pid {pid or '?':<7}  log {log_path}")
        self.say("")
        if password is not None:
            self.say(f"admin login: {ADMIN_EMAIL}  password: {password}")
            self.say("(the password is shown once; it is kept in the database between runs)")
        else:
            self.say(f"admin login: {ADMIN_EMAIL} (password shown when it was created; --fresh starts over,")
            self.say(f" or: SOCIALDESK_DATABASE_URL='{db_url}' socialdesk users set-password {ADMIN_EMAIL})")
        self.say(f"workspace: {WORKSPACE}; Ctrl-C or SIGTERM stops everything (PostgreSQL last)")
        self.say("dev-cluster ready")

    def _start_demo_traffic(self) -> None:
        from socialdesk.bus.nats_bus import NatsBus
        from socialdesk.demo.traffic import stream_posts

        assert self.nats is not None
        bus = NatsBus(self.nats.url, "socialdesk-demo-traffic")
        workspace_id = self.workspace_id

        def publish() -> None:
            try:
                for wait, post in stream_posts(seed=int(time.time()), posts_per_minute=40.0):
                    if self.stopping.wait(max(0.0, wait)):
                        return
                    with suppress(Exception):  # NATS away: the bus logs it once; the post is skipped
                        bus.publish_posts(workspace_id, [post])
            finally:
                bus.close()

        self._traffic = threading.Thread(target=publish, name="demo-traffic", daemon=True)
        self._traffic.start()
        self.say("demo traffic: about 40 generated posts a minute through NATS")

    # --- run and stop ---------------------------------------------------------------------------
    def _watch(self) -> None:
        everyone = [*self.webs, *self.stages, *([self.nats] if self.nats else [])]
        while not self.stopping.wait(0.5):
            for child in newly_dead(everyone):
                code, where = child.exit_code(), child.log_path
                self.complain(f"{child.name} (pid {child.pid}) exited with code {code}; its log: {where}")

    def stop(self) -> None:
        """Web first, then the workers, then NATS, PostgreSQL last; each tier terminated, waited for
        (15 s) and killed if still there."""
        self.stopping.set()
        if self._stopped or self._lock is None:
            return
        self._stopped = True
        for tier in (self.webs, self.stages):
            for child in stop_tier(tier):
                self.complain(f"{child.name} did not stop within 15 s: killed")
        if self._traffic is not None:
            self._traffic.join(timeout=10)
        if self.nats is not None:
            stop_tier([self.nats])
        if self.pg is not None:
            from socialdesk.storage.embedded_pg import KeptPostgres

            if isinstance(self.pg, KeptPostgres):
                try:
                    self.pg.stop()
                except Exception as exc:  # noqa: BLE001 (said, with its log; the other children still stop)
                    self.complain(f"PostgreSQL did not stop cleanly: {exc} (its log: {self.pg.log_path})")
            self.pg = None
        if self._lock is not None:
            self._lock.close()
            self._lock = None
        self.say("dev-cluster stopped")
