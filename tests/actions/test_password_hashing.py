"""A flood of logins never runs more password hashes at once than the gate allows; the rest wait a
short time and are told the server is busy."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from socialdesk.actions.accounts import password_hashing
from socialdesk.actions.accounts import users as accounts
from socialdesk.actions.accounts.password_hashing import HashingBusy
from socialdesk.actions.accounts.users import authenticate_password
from socialdesk.domain.people import Role
from tests.support.sqlite_copies import SqliteStore
from tests.support.waiting import PATIENCE


class SlowHasher:
    """Stands in for argon2: each hash holds its slot until the test lets go, counting how many run."""

    def __init__(self) -> None:
        self.running = 0
        self.most = 0
        self.release = threading.Event()
        self._lock = threading.Condition()

    def _work(self) -> None:
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
            self._lock.notify_all()
        self.release.wait(timeout=10)
        with self._lock:
            self.running -= 1

    def wait_running(self, count: int) -> bool:
        with self._lock:
            return self._lock.wait_for(lambda: self.running >= count, timeout=PATIENCE)

    def hash(self, password: str) -> str:
        self._work()
        return "slow$" + password

    def verify(self, password_hash: str, password: str) -> bool:
        self._work()
        return password_hash == "slow$" + password


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowHasher]:
    hasher = SlowHasher()
    monkeypatch.setattr(accounts, "_hasher", hasher)
    yield hasher
    hasher.release.set()
    password_hashing.configure(password_hashing.DEFAULT_SLOTS, password_hashing.DEFAULT_WAIT_SECONDS)


def test_concurrent_hashing_never_exceeds_the_bound(slow: SlowHasher, sqlite_store: SqliteStore) -> None:
    store = sqlite_store
    with store.unit_of_work() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        uow.users.add(ws, "a@x.io", "A", Role.AGENT, "slow$correct-horse-1", "")
        uow.commit()
    password_hashing.configure(2, 0.2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        try:
            email = "a@x.io" if i % 2 else "nobody@x.io"
            found = authenticate_password(store.unit_of_work, email, f"guess-{i}")
            result = "refused" if found is None else "in"
        except HashingBusy:
            result = "busy"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    assert slow.wait_running(2)
    # The other ten wait for a slot at most 0.2 s each, then give up: wait for them to finish.
    while True:
        with lock:
            if len(outcomes) >= 10:
                break
        threads[0].join(timeout=0.05)
    slow.release.set()
    for thread in threads:
        thread.join(timeout=10)
    assert slow.most == 2
    assert sorted(outcomes) == ["busy"] * 10 + ["refused"] * 2


def test_a_freed_slot_serves_the_next_caller(slow: SlowHasher) -> None:
    slow.release.set()
    password_hashing.configure(1, 0.01)
    assert accounts.hash_password("correct-horse-1") == "slow$correct-horse-1"
    assert accounts.password_matches("slow$correct-horse-1", "correct-horse-1")
    with password_hashing.gate().slot(), pytest.raises(HashingBusy, match="busy checking other passwords"):
        accounts.hash_password("correct-horse-1")
