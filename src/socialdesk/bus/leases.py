"""Leases over NATS JetStream key-value: which process runs which channel account when several may.

Every process that can run channel clients (`socialdesk worker --stage channels`, and each web process
of `socialdesk serve --workers N` with the channel runner on) asks for the lease of each active account
on every pass. The lease is a key in the KV bucket ``socialdesk_leases``: `KeyValue.create` succeeds for
one process only; the holder renews it with a compare-and-set `update` on its last revision; the
bucket's max age ends the lease of a process that died without releasing it, so another takes over.
No home-made election: the atomicity is JetStream's.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

from nats.js.errors import BucketNotFoundError, KeyNotFoundError, KeyWrongLastSequenceError

from socialdesk.bus.nats_bus import ConnectionLog, connect

log = logging.getLogger(__name__)
T = TypeVar("T")

BUCKET = "socialdesk_leases"
LEASE_SECONDS = 90.0  # a holder renews at least every LEASE_SECONDS / 3 (see `ChannelRunner`)


class NatsLeases:
    """Leases by name, held by this object (one per process) until released, renewed or expired."""

    def __init__(self, url: str, *, bucket: str = BUCKET, ttl: float = LEASE_SECONDS) -> None:
        self.ttl = ttl
        self.owner = uuid.uuid4().hex
        self._bucket = bucket
        self._held: dict[str, int] = {}  # name -> revision of our last write
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="nats-leases", daemon=True)
        self._thread.start()
        self.state = ConnectionLog(url, "channel leases")
        self._nc = self._run(connect(url, "socialdesk-leases", self.state))
        self._kv = self._run(self._open())

    def _run(self, coro: Coroutine[Any, Any, T], timeout: float = 15.0) -> T:
        future: Future[T] = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return future.result(timeout)

    async def _open(self) -> Any:
        js = self._nc.jetstream()
        try:
            return await js.key_value(self._bucket)
        except BucketNotFoundError:
            return await js.create_key_value(bucket=self._bucket, ttl=self.ttl, history=1)

    @staticmethod
    def _key(name: str) -> str:
        return "".join(char if char.isalnum() or char in "-_" else "_" for char in name)

    def acquire(self, name: str) -> bool:
        """Take the lease, or renew it when we hold it; False when another process holds it (or NATS
        cannot be reached: then nobody new starts, and a holder that cannot renew lets go)."""
        key, value = self._key(name), self.owner.encode()
        try:
            revision = self._held.get(key)
            if revision is not None:
                self._held[key] = self._run(self._kv.update(key, value, last=revision))
            else:
                self._held[key] = self._run(self._kv.create(key, value))
            return True
        except KeyWrongLastSequenceError:  # someone else holds it (or took it over after it expired)
            self._held.pop(key, None)
            return self._adopt(key, value)
        except Exception as exc:  # noqa: BLE001 (not taken, logged; outages logged once)
            if not self.state.down:
                log.warning("lease %s: not taken: %s", name, str(exc)[:200] or type(exc).__name__)
            self._held.pop(key, None)
            return False

    def _adopt(self, key: str, value: bytes) -> bool:
        """Ours after all (we lost track of it, e.g. across a NATS outage): renew it by its revision."""
        try:
            entry = self._run(self._kv.get(key))
            if entry.value != value or entry.revision is None:
                return False
            self._held[key] = self._run(self._kv.update(key, value, last=entry.revision))
            return True
        except Exception:  # noqa: BLE001 (gone, taken or NATS away: not ours; said by the caller)
            return False

    def release(self, name: str) -> None:
        """Give the lease up at once (a clean stop), so another process need not wait for it to expire."""
        key = self._key(name)
        revision = self._held.pop(key, None)
        if revision is None:
            return
        try:
            self._run(self._kv.delete(key, last=revision))
        except (KeyWrongLastSequenceError, KeyNotFoundError):
            pass  # already taken over or expired
        except Exception as exc:  # noqa: BLE001 (logged: the lease expires by itself)
            log.warning("lease %s: could not release it (%s); it expires by itself", name, str(exc)[:200])

    def close(self) -> None:
        for key in list(self._held):
            self.release(key)
        try:
            self._run(self._nc.close())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
