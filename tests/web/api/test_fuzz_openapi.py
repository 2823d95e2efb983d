"""The whole OpenAPI description, fuzzed by schemathesis: no answer is a 5xx, none is undocumented.

Every operation of /api/v1/openapi.json is called in process (ASGI) with an admin's bearer token on a
SQLite database seeded with a workspace, conversations, a team, rules, a monitor and two channel
accounts. Each operation gets EXAMPLES_PER_OPERATION valid and invalid inputs; Hypothesis runs
derandomized, so CI sends the same requests every time (about a minute on a busy 2-core machine).
Nothing leaves the process: channel clients talk to an in-memory network that is always down, name
resolution and IP connections are refused for the module's duration, and no background worker runs.
"""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import status_code_conformance

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.credentials import do_create_api_token
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.bus.inprocess import RecordingBus
from socialdesk.channels.connect import Connector
from socialdesk.channels.crypto import new_key
from socialdesk.config import Settings
from socialdesk.domain.clock import FixedClock
from socialdesk.domain.people import Role
from socialdesk.runtime import Runtime
from socialdesk.storage.engine import make_engine
from socialdesk.web.app import create_app
from tests.conftest import T0
from tests.web.api.test_api import _post

EXAMPLES_PER_OPERATION = 40


def _refuse_network(*_args: Any, **_kwargs: Any) -> Any:
    raise OSError("the fuzzer allows no network traffic")


def _no_ip_connect(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _refuse_network()
    return _original_connect(self, address)


_original_connect = socket.socket.connect


def _seed(client: TestClient, h: dict[str, str]) -> None:
    """A little of everything the operations read: conversations with replies, a team, rules."""

    def ok(answer: Any) -> Any:
        assert answer.status_code < 300, answer.text
        return answer.json() if answer.content else None

    ok(client.post("/api/v1/posts", json={"posts": [_post(i) for i in range(1, 6)]}, headers=h))
    conversations = ok(client.get("/api/v1/conversations", headers=h))["items"]
    first = conversations[0]["id"]
    ok(client.post(f"/api/v1/conversations/{first}/replies", json={"text": "Looking into it"}, headers=h))
    ok(client.post(f"/api/v1/conversations/{first}/notes", json={"text": "VIP"}, headers=h))
    team = ok(client.post("/api/v1/teams", json={"name": "Billing"}, headers=h))
    agents = ok(client.get("/api/v1/agents", headers=h))
    ok(client.post(f"/api/v1/teams/{team['id']}/members", json={"user_id": agents[0]["id"]}, headers=h))
    ok(
        client.post(
            "/api/v1/saved-replies", json={"title": "Hi", "body": "Hello {{customer.name}}"}, headers=h
        )
    )
    ok(client.post("/api/v1/monitors", json={"name": "outage", "query": "wifi AND down"}, headers=h))
    ok(client.post("/api/v1/spam-rules", json={"kind": "term", "value": "crypto"}, headers=h))
    ok(client.put("/api/v1/approval-rules", json=[{"kind": "term", "value": "refund"}], headers=h))
    ok(client.post("/api/v1/problems", json={"title": "Leeds outage"}, headers=h))
    feed = {"network": "rss", "handle": "Status", "settings": {"feed_url": "https://status.example.com/feed"}}
    ok(client.post("/api/v1/channels", json=feed, headers=h))
    hook = {"network": "webhook", "handle": "Forms", "credentials": {"secret": "fuzz-hook-secret"}}
    ok(client.post("/api/v1/channels", json=hook, headers=h))


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[FastAPI]:
    path = tmp_path_factory.mktemp("fuzz") / "socialdesk.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    runtime = Runtime(
        settings=Settings(database_url=url), engine=make_engine(url), bus=RecordingBus(), clock=FixedClock(T0)
    )
    with runtime.uow() as uow:
        acme = ensure_workspace(uow, "acme")
        check_add_brand_account(uow, acme.id, "x", "AcmeCares")
        ada = check_create_user(uow, acme.id, "ada@acme.io", "Ada Byron", "correct-horse-1", Role.ADMIN)
        token = do_create_api_token(uow, ada, "fuzz", runtime.clock.now())
        uow.commit()
    key = new_key()
    runtime.settings = runtime.settings.model_copy(update={"secret_key": SecretStr(key)})
    # Channel clients get an in-memory network that is always down: no request leaves the process.
    down = httpx.MockTransport(lambda _request: httpx.Response(503))
    runtime.connector = Connector(key, transport=down, clock=runtime.clock)
    app = create_app(runtime)
    app.state.fuzz_token = token
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket, "getaddrinfo", _refuse_network)
        patch.setattr(socket, "gethostbyname", _refuse_network)
        patch.setattr(socket, "create_connection", _refuse_network)
        patch.setattr(socket.socket, "connect", _no_ip_connect)
        with TestClient(app, base_url="https://testserver") as client:
            _seed(client, {"Authorization": f"Bearer {token}"})
            yield app
    runtime.close()


def _fuzz(operation: Any, token: str) -> str | None:
    """Fuzz one operation with valid and invalid inputs; the first failure, described, or None."""
    strategy = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],  # no shrinking: the report shows the request that failed
    )
    def run(case: Any) -> None:
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error, status_code_conformance]
        )

    try:
        run()
    except (Exception, FailureGroup) as exc:  # noqa: BLE001 (every failing operation is reported, not only the first)
        return f"{operation.label}: {exc}"
    return None


@pytest.mark.slow  # about a minute on a busy 2-core machine
def test_no_server_errors_and_only_documented_status_codes(fuzzed_app: FastAPI) -> None:
    api = schemathesis.openapi.from_asgi("/api/v1/openapi.json", fuzzed_app)
    operations = [result.ok() for result in api.get_all_operations()]
    # The fuzzer's own account last: disabling it, demoting it or revoking its token earlier would
    # leave every later operation only 401/403 to answer.
    operations.sort(key=lambda op: op.path.startswith(("/api/v1/users", "/api/v1/tokens")))
    assert len(operations) > 60  # the whole description, not a part of it
    failures = [found for op in operations if (found := _fuzz(op, fuzzed_app.state.fuzz_token))]
    assert failures == [], "\n\n".join(failures)
