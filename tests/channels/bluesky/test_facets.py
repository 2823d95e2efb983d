"""Facets for outgoing posts: UTF-8 byte offsets, mention resolution, links, tags."""

from __future__ import annotations

from typing import Any

from socialdesk.channels.bluesky.facets import build_facets, byte_offset, mention_candidates

DIDS = {"carol-customer.test": "did:plc:carol", "acme.bsky.social": "did:plc:acme"}


def spans(text: str, facets: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    data = text.encode()
    return [
        (data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode(), f["features"][0]) for f in facets
    ]


def test_offsets_are_utf8_bytes() -> None:
    text = "Désolé 😞 @carol-customer.test, voir https://acme.example/aide."
    facets = build_facets(text, DIDS.get)
    assert text.index("@") == 9
    assert byte_offset(text, 9) == len("Désolé 😞 ".encode()) == 14
    assert spans(text, facets) == [
        ("@carol-customer.test", {"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:carol"}),
        (
            "https://acme.example/aide",
            {"$type": "app.bsky.richtext.facet#link", "uri": "https://acme.example/aide"},
        ),
    ]


def test_unresolved_handles_stay_plain_text() -> None:
    assert build_facets("hi @nobody-here.test and @acme.bsky.social", DIDS.get)[0]["features"][0]["did"] == (
        "did:plc:acme"
    )
    assert len(build_facets("hi @nobody-here.test", DIDS.get)) == 0


def test_mentions_need_a_domain_and_a_boundary() -> None:
    text = "mail me@acme.bsky.social, ping @carol (or @acme.bsky.social.)"
    assert [h for _, _, h in mention_candidates(text)] == ["acme.bsky.social"]


def test_bare_domain_links_become_https_and_tags_are_found() -> None:
    text = "See acme.com/status #outage ＃2024 #42"
    features = [f for _, f in spans(text, build_facets(text, DIDS.get))]
    assert features == [
        {"$type": "app.bsky.richtext.facet#link", "uri": "https://acme.com/status"},
        {"$type": "app.bsky.richtext.facet#tag", "tag": "outage"},
    ]


def test_each_handle_is_resolved_once() -> None:
    calls: list[str] = []

    def resolve(handle: str) -> str | None:
        calls.append(handle)
        return DIDS.get(handle)

    facets = build_facets("@Carol-Customer.test @carol-customer.test", resolve)
    assert calls == ["carol-customer.test"]
    assert len(facets) == 2
