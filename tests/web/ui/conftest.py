"""Fixtures of the UI tests: a runtime on a temporary SQLite file, two workspaces, a logged-in client."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from socialdesk.actions.accounts import users as accounts
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.actions.inbox.annotate import Annotator
from socialdesk.actions.inbox.ingest import IngestReport, do_ingest_posts
from socialdesk.config import Settings
from socialdesk.domain.people import Role, User
from socialdesk.domain.post import Author, Post
from socialdesk.runtime import Runtime, build_runtime
from socialdesk.triage import Triager
from socialdesk.web.app import create_app

PASSWORD = "correct-horse-1"
OTHER_PASSWORD = "correct-horse-2"
_LOGIN_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_SESSION_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


@dataclass(frozen=True)
class UiWorld:
    runtime: Runtime
    app: FastAPI
    ada: User  # admin of workspace "acme"
    bob: User  # agent of workspace "beta"
    carl: User  # agent (not admin) of workspace "acme"

    def ingest(self, workspace_id: int, *posts: Post) -> IngestReport:
        with self.runtime.uow() as uow:
            report = do_ingest_posts(uow, workspace_id, list(posts), self.runtime.clock.now())
            uow.commit()
        return report

    def ingest_triaged(self, triager: Triager, workspace_id: int, *posts: Post) -> IngestReport:
        """Ingest as the runtime does: posts carry their triage and the monitors they match."""
        with self.runtime.uow() as uow:
            report = do_ingest_posts(
                uow, workspace_id, list(posts), self.runtime.clock.now(), Annotator(triager)
            )
            uow.commit()
        return report


def ui_post(
    ident: str,
    text: str,
    *,
    minutes_ago: float,
    handle: str = "",
    name: str = "",
    followers: int | None = 10,
    channel: str = "x",
) -> Post:
    """An inbound post written `minutes_ago` before now (the runtime's clock is the real one)."""
    at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    author = Author(
        id=f"a-{handle or ident}", handle=handle or f"cust{ident}", name=name, followers=followers
    )
    return Post(
        id=ident,
        channel=channel,
        text=text,
        created_at=at,
        author=author,
    )


@pytest.fixture(scope="session")
def ui_triager() -> Triager:
    """The packaged triage model, loaded once (about a second) for every test that needs it."""
    return Triager()


@dataclass(frozen=True)
class _Template:
    path: Path
    ada: User
    bob: User
    carl: User


@pytest.fixture(scope="session")
def ui_template(tmp_path_factory: pytest.TempPathFactory) -> _Template:
    """A migrated database with two workspaces and their users, made once and copied by every test.

    Migrating and argon2-hashing per test would cost about a second each; the users' hashes are made
    with cheap argon2 parameters (verification reads them from the hash), which is all a test needs.
    """
    path = tmp_path_factory.mktemp("ui") / "template.db"
    runtime = build_runtime(Settings(database_url=f"sqlite:///{path}"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
        with runtime.uow() as uow:
            acme = ensure_workspace(uow, "acme")
            ada = check_create_user(uow, acme.id, "a@x.io", "Ada Byron", PASSWORD, Role.ADMIN)
            beta = ensure_workspace(uow, "beta")
            bob = check_create_user(uow, beta.id, "b@y.io", "Bob Other", OTHER_PASSWORD, Role.AGENT)
            carl = check_create_user(uow, acme.id, "c@x.io", "Carl Agent", PASSWORD, Role.AGENT)
            uow.commit()
    runtime.close()
    return _Template(path, ada, bob, carl)


@pytest.fixture
def ui_runtime(ui_template: _Template, tmp_path: Path) -> Iterator[Runtime]:
    for part in ui_template.path.parent.glob(ui_template.path.name + "*"):  # the file and any -wal/-shm
        shutil.copy(part, tmp_path / part.name.replace("template", "t"))
    runtime = build_runtime(Settings(database_url=f"sqlite:///{tmp_path}/t.db"), migrate=False)
    yield runtime
    runtime.close()


@pytest.fixture
def ui_world(ui_template: _Template, ui_runtime: Runtime) -> UiWorld:
    return UiWorld(ui_runtime, create_app(ui_runtime), ui_template.ada, ui_template.bob, ui_template.carl)


@pytest.fixture
def ui_client(ui_world: UiWorld) -> Iterator[TestClient]:
    """A client of the app, not logged in. https so the Secure session cookie is sent back."""
    with TestClient(ui_world.app, base_url="https://testserver", follow_redirects=False) as client:
        yield client


def login_token(html: str) -> str:
    found = _LOGIN_TOKEN.search(html)
    assert found, "no csrf_token field in the page"
    return found.group(1)


def session_token(html: str) -> str:
    found = _SESSION_TOKEN.search(html)
    assert found, "no csrf-token meta tag in the page"
    return found.group(1)


# The TestClient's response class depends on which httpx flavour starlette found, hence Any.
LoginFn = Callable[..., Any]


@pytest.fixture
def ui_login(ui_client: TestClient) -> LoginFn:
    """Log the client in through the form; returns the POST /login answer."""

    def login(email: str = "a@x.io", password: str = PASSWORD, next_url: str = "/") -> Any:
        form = ui_client.get("/login")
        assert form.status_code == 200
        data = {"email": email, "password": password, "csrf_token": login_token(form.text), "next": next_url}
        return ui_client.post("/login", data=data)

    return login


@pytest.fixture
def ui_agent(ui_client: TestClient, ui_login: LoginFn) -> str:
    """Log Ada in; returns the session's CSRF token (read from the inbox page's meta tag)."""
    assert ui_login().status_code == 303
    return session_token(ui_client.get("/").text)


def login_client(app: FastAPI, email: str, password: str = PASSWORD) -> tuple[TestClient, str]:
    """A second browser: a new client logged in as someone else; returns it and its CSRF token."""
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    form = client.get("/login")
    data = {"email": email, "password": password, "csrf_token": login_token(form.text), "next": "/"}
    assert client.post("/login", data=data).status_code == 303
    return client, session_token(client.get("/").text)


def htmx(token: str) -> dict[str, str]:
    """The headers HTMX sends (app.js adds the CSRF token to each request)."""
    return {"HX-Request": "true", "X-CSRF-Token": token}
