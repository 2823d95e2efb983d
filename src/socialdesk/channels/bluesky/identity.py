"""Who is behind a DID (its handle and PDS), and which DID a handle names.

A DID document comes from the PLC directory (``did:plc:...``, ``https://plc.directory`` on the public
network) or from the domain itself (``did:web:host`` -> ``https://host/.well-known/did.json``). The
handle is the first ``at://`` entry of ``alsoKnownAs``; the PDS is the ``#atproto_pds`` service.
Results are cached; a firehose ``#identity`` event calls :meth:`IdentityResolver.forget`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import httpx

from socialdesk.channels.bluesky.xrpc import Xrpc, XrpcError
from socialdesk.channels.framework import ChannelError
from socialdesk.channels.url_policy import UrlPolicy

PUBLIC_PLC = "https://plc.directory"


@dataclass(frozen=True, slots=True)
class Identity:
    did: str
    handle: str | None
    pds: str | None


def identity_from_document(did: str, document: dict[str, Any]) -> Identity:
    handle = next(
        (aka[len("at://") :] for aka in document.get("alsoKnownAs") or [] if str(aka).startswith("at://")),
        None,
    )
    pds = next(
        (
            str(service.get("serviceEndpoint"))
            for service in document.get("service") or []
            if isinstance(service, dict)
            and (service.get("id") in ("#atproto_pds", f"{did}#atproto_pds"))
            and service.get("serviceEndpoint")
        ),
        None,
    )
    return Identity(did, handle, pds.rstrip("/") if pds else None)


class IdentityResolver:
    """Resolve DIDs through ``plc_url`` and handles through ``handle_service`` (a PDS or AppView)."""

    def __init__(
        self,
        *,
        plc_url: str = PUBLIC_PLC,
        handle_service: Xrpc | None = None,
        http: httpx.Client | None = None,
    ) -> None:
        self.plc_url = plc_url.rstrip("/")
        self.handle_service = handle_service
        self.http = http or UrlPolicy().http_client(timeout=10.0)
        self._lock = threading.Lock()
        self._dids: dict[str, Identity] = {}
        self._handles: dict[str, str | None] = {}

    def document_url(self, did: str) -> str:
        if did.startswith("did:plc:"):
            return f"{self.plc_url}/{did}"
        if did.startswith("did:web:"):
            host = did[len("did:web:") :].replace("%3A", ":")
            return f"https://{host}/.well-known/did.json"
        raise ChannelError(f"unsupported DID method: {did!r}")

    def identity(self, did: str) -> Identity:
        with self._lock:
            known = self._dids.get(did)
        if known is not None:
            return known
        response = self.http.get(self.document_url(did))
        if not response.is_success:
            raise ChannelError(f"resolving {did}: HTTP {response.status_code}")
        found = identity_from_document(did, response.json())
        if found.pds:  # a document naming no PDS yet (an account being created) is asked again next time
            with self._lock:
                self._dids[did] = found
        return found

    def handle(self, did: str) -> str | None:
        """The handle of ``did``; None when its document names none or cannot be fetched."""
        try:
            return self.identity(did).handle
        except (ChannelError, httpx.HTTPError, ValueError):
            return None

    def did_for_handle(self, handle: str) -> str | None:
        """The DID of ``handle`` (without ``@``), or None when no account has it."""
        handle = handle.lower().lstrip("@")
        with self._lock:
            if handle in self._handles:
                return self._handles[handle]
        if self.handle_service is None:
            raise ChannelError("no service to resolve handles with")
        try:
            did: str | None = self.handle_service.query(
                "com.atproto.identity.resolveHandle", {"handle": handle}
            ).get("did")
        except XrpcError as exc:
            if exc.status != 400:  # 400 HandleNotFound / InvalidRequest: no such account
                raise
            did = None
        with self._lock:
            self._handles[handle] = did
        return did

    def remember(self, did: str, handle: str | None) -> None:
        """Record a handle seen on the firehose (``#identity``/``#handle`` events) for ``did``."""
        with self._lock:
            old = self._dids.get(did)
            self._dids[did] = Identity(did, handle, old.pds if old else None)

    def forget(self, did: str) -> None:
        with self._lock:
            self._dids.pop(did, None)
            for handle in [h for h, d in self._handles.items() if d == did]:
                del self._handles[handle]
