"""The DID resolver's cache never keeps a document that names no PDS (an account still being set up)."""

from __future__ import annotations

import httpx

from socialdesk.channels.bluesky.identity import IdentityResolver

DID = "did:plc:2m6yse47opkmwoyejikwqgbi"


def test_a_document_without_a_pds_is_fetched_again_and_a_complete_one_is_kept() -> None:
    answers = [
        {"id": DID, "alsoKnownAs": ["at://carol.test"]},
        {
            "id": DID,
            "alsoKnownAs": ["at://carol.test"],
            "service": [
                {
                    "id": "#atproto_pds",
                    "type": "AtprotoPersonalDataServer",
                    "serviceEndpoint": "http://127.0.0.1:9/",
                }
            ],
        },
    ]
    asked: list[str] = []

    def plc(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        return httpx.Response(200, json=answers[min(len(asked) - 1, 1)])

    resolver = IdentityResolver(
        plc_url="http://127.0.0.1:9", http=httpx.Client(transport=httpx.MockTransport(plc))
    )
    assert resolver.identity(DID).pds is None
    assert resolver.identity(DID).pds == "http://127.0.0.1:9"
    assert resolver.identity(DID).pds == "http://127.0.0.1:9"
    assert len(asked) == 2  # the complete document is cached
