"""`socialdesk channels test` and `POST /api/v1/channels/{id}/test`: check an account's credentials and
connectivity with one or two cheap reads, and say what is wrong in plain words.

Each network's check is its descriptor's ``probe`` (``channels/<network>/probe.py``); the helpers here
(`probe_get`, `unreachable`) give every network the same plain messages."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from socialdesk.channels.connect import Connector
from socialdesk.channels.crypto import CredentialError
from socialdesk.channels.registry import REGISTRY
from socialdesk.channels.url_policy import AddressNotAllowed
from socialdesk.ports.channels import ChannelAccount


@dataclass(frozen=True, slots=True)
class ProbeResult:
    ok: bool
    message: str


class ProbeProblem(Exception):
    """What is wrong with the account, in plain words (the probe's message)."""


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def unreachable(url: str, exc: httpx.TransportError) -> str:
    """One message whatever the failure (refused, timed out, reset, no such host): the answer must not
    tell a closed port from a filtered one, or the probe becomes a port scanner. A URL the policy
    refuses says so, and nothing was sent."""
    if isinstance(exc, AddressNotAllowed):
        return f"not allowed: {exc}"
    return f"unreachable: no answer from {_host(url)}; check the address and that the server can reach it"


def _explain(status: int, what: str, *, scopes: str = "", not_found: str = "") -> str:
    if status == 401:
        return (
            f"{what} refused the credentials (HTTP 401): the token is wrong or was revoked; create a new one"
        )
    if status == 403:
        need = f" (needs {scopes})" if scopes else ""
        return f"{what} refused access (HTTP 403): the token is missing a scope{need} or the app lacks access"
    if status == 404:
        return f"not found (HTTP 404): {not_found or 'check the address'}"
    if status == 429:
        return f"{what} is rate limiting this account (HTTP 429): try again later"
    return f"{what} answered HTTP {status}"


def probe_get(http: httpx.Client, url: str, what: str, **explain: str) -> httpx.Response:
    try:
        resp = http.get(url)
    except httpx.TransportError as exc:
        raise ProbeProblem(unreachable(str(http.base_url.join(url)), exc)) from None
    if resp.status_code != 200:
        raise ProbeProblem(_explain(resp.status_code, what, **explain))
    return resp


def probe(connector: Connector, account: ChannelAccount) -> ProbeResult:
    """Never raises for network trouble: the result says what is wrong. Never shows a secret."""
    descriptor = REGISTRY.find(account.network)
    if descriptor is None:
        return ProbeResult(False, f"socialdesk has no adapter for the network {account.network!r}")
    if descriptor.probe is None:
        return ProbeResult(True, descriptor.no_probe.format(id=account.id))
    try:
        return ProbeResult(True, descriptor.probe(connector, account))
    except ProbeProblem as exc:
        return ProbeResult(False, str(exc))
    except CredentialError as exc:
        return ProbeResult(False, f"stored credentials unusable: {exc}")
