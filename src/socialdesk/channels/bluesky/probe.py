"""Bluesky's probe: log in with the handle and app password."""

from __future__ import annotations

import httpx

from socialdesk.channels.bluesky.network import DEFAULT_SERVICE, session_for
from socialdesk.channels.bluesky.xrpc import XrpcError
from socialdesk.channels.connect import Connector
from socialdesk.channels.framework import ChannelAuthError
from socialdesk.channels.probe import ProbeProblem, unreachable
from socialdesk.ports.channels import ChannelAccount


def probe(connector: Connector, account: ChannelAccount) -> str:
    service = str(account.settings.get("service") or DEFAULT_SERVICE)
    with connector.http(account) as http:
        session = session_for(connector, account, http)
        try:
            session.login()
        except httpx.TransportError as exc:
            raise ProbeProblem(unreachable(service, exc)) from None
        except (ChannelAuthError, XrpcError) as exc:
            if isinstance(exc, ChannelAuthError) or exc.status == 401:
                raise ProbeProblem(
                    "Bluesky refused the handle or app password (HTTP 401): check the handle, "
                    "or create a new app password"
                ) from None
            raise ProbeProblem(f"Bluesky answered: {exc}") from None
    return f"connected as @{session.handle} ({session.did}) on {service}"
