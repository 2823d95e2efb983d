"""A runtime on SQLite with a fixed clock, a recording bus and a channel connector with a fake network."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from socialdesk.actions.accounts.users import ensure_workspace
from socialdesk.actions.channels.accounts import check_add_channel_account
from socialdesk.bus.inprocess import RecordingBus
from socialdesk.channels.connect import Connector
from socialdesk.channels.crypto import new_key
from socialdesk.channels.registry import REGISTRY
from socialdesk.channels.url_policy import UrlPolicy
from socialdesk.config import Settings
from socialdesk.domain.clock import FixedClock
from socialdesk.domain.people import Role, User
from socialdesk.ports.channels import ChannelAccount
from socialdesk.runtime import Runtime
from socialdesk.storage.engine import make_engine

KEY = new_key()


@pytest.fixture
def sqlite_runtime(sqlite_url: str, clock: FixedClock, bus: RecordingBus) -> Iterator[Runtime]:
    # The fake servers listen on loopback: this runtime allows private URLs, as on-premises installs do.
    settings = Settings(database_url=sqlite_url, secret_key=KEY, triage=False, allow_private_urls=True)  # type: ignore[arg-type]
    rt = Runtime(settings=settings, engine=make_engine(sqlite_url), bus=bus, clock=clock)
    yield rt
    rt.close()


def use_fake_network(runtime: Runtime, handler: Any) -> None:
    policy = UrlPolicy(allow_private=runtime.settings.allow_private_urls)
    transport = httpx.MockTransport(handler)
    runtime.connector = Connector(KEY, transport=transport, clock=runtime.clock, url_policy=policy)


def add_account(
    runtime: Runtime,
    network: str,
    handle: str,
    settings: dict[str, Any],
    secrets: dict[str, str] | None = None,
    **budget: Any,
) -> ChannelAccount:
    with runtime.uow() as uow:
        ws = ensure_workspace(uow, "acme")
        admin = User(id=0, workspace_id=ws.id, email="a@acme.io", name="Ada", role=Role.ADMIN)
        account = check_add_channel_account(
            uow,
            admin,
            network,
            handle,
            settings,
            secrets or {},
            runtime.channel_connector().sealer(),
            runtime.clock.now(),
            urls=runtime.channel_connector().url_policy,
            networks=REGISTRY,
            **budget,
        )
        uow.commit()
    return account
