"""The network registry: every descriptor is complete and consistent, and the registry refuses a
malformed or duplicate one with a message naming it."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from socialdesk.channels.registry import REGISTRY, NetworkDescriptor, Registry, UnknownNetwork
from socialdesk.channels.x import network as x_network
from socialdesk.channels.x.client import API as X_API
from socialdesk.domain.text_length import rule
from socialdesk.ingest.validate import PostError, post_from_dict
from socialdesk.ports.channels import NetworkSchema
from tests.channels.extra_network import DESCRIPTOR as EXTRA
from tests.channels.support import T0, load, raw


def test_the_registered_networks() -> None:
    assert REGISTRY.names() == (
        "x",
        "mastodon",
        "bluesky",
        "rss",
        "webhook",
        "facebook",
        "instagram",
        "youtube",
        "google_play",
        "app_store",
        "google_business",
        "email",
    )


@pytest.mark.parametrize("network", REGISTRY.names())
def test_every_setting_and_secret_is_documented(network: str) -> None:
    schema = REGISTRY.get(network).schema
    assert [n for n in (*schema.settings, *schema.secrets) if not schema.docs.get(n)] == []
    assert set(schema.url_settings) <= set(schema.settings)
    assert set(schema.generated_secrets) <= set(schema.required_secrets)
    if schema.credential_endpoint is not None:
        assert schema.credential_endpoint[0] in schema.settings


@pytest.mark.parametrize("network", REGISTRY.names())
def test_a_descriptor_points_at_the_domain_length_rule(network: str) -> None:
    assert REGISTRY.get(network).length == rule(network)


def test_the_x_default_api_is_the_clients() -> None:
    assert x_network.API == X_API


def test_the_meta_default_api_is_the_graph_clients() -> None:
    from socialdesk.channels.meta import graph, product

    assert product.API == graph.API


def test_networks_that_send_are_those_with_a_brand_account() -> None:
    sending = {d.name for d in REGISTRY if d.sender is not None}
    brands = {d.name for d in REGISTRY if d.schema.brand_account}
    reviews = {"google_play", "app_store", "google_business"}
    assert (
        sending
        == brands
        == {"x", "mastodon", "bluesky", "facebook", "instagram", "youtube", "email", *reviews}
    )
    # YouTube and the review sites have no private messages
    assert {d.name for d in REGISTRY if d.private_messages} == sending - {"youtube", *reviews}
    assert all(d.private_length is not None for d in REGISTRY if d.private_messages)


def test_an_unknown_network_is_named_with_the_known_ones() -> None:
    with pytest.raises(UnknownNetwork, match="no adapter for the network 'myspace' \\(known: x, mastodon"):
        REGISTRY.get("myspace")
    assert REGISTRY.find("myspace") is None and REGISTRY.schema("myspace") is None


def test_a_second_descriptor_of_the_same_name_is_refused() -> None:
    with REGISTRY.registered(EXTRA), pytest.raises(ValueError, match="'reddit' is already registered"):
        REGISTRY.register(EXTRA)
    assert "reddit" not in REGISTRY.names()  # gone after the block


def test_a_module_without_a_descriptor_is_refused() -> None:
    broken = Registry(("socialdesk.channels.x.network", "socialdesk.channels.x.parse"))
    with pytest.raises(AttributeError, match="DESCRIPTOR"):
        broken.names()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"inbound": ("carrier-pigeon",)}, "inbound modes"),
        ({"inbound": ("poll", "webhook")}, "a webhook inbound mode and a webhook_path go together"),
        ({"client": None, "webhook_path": None, "inbound": ("poll",)}, "no way in"),
    ],
)
def test_a_malformed_descriptor_is_refused(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(REGISTRY.get("rss"), **change)  # type: ignore[arg-type]


def test_loading_the_registry_imports_no_client() -> None:
    code = (
        "import sys; from socialdesk.channels.registry import REGISTRY; REGISTRY.names();"
        "print(' '.join(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = done.stdout.split()
    assert [m for m in loaded if m.split(".")[0] in ("httpx", "websockets", "feedparser")] == []
    assert [m for m in loaded if m.endswith((".client", ".send"))] == []


def test_a_schema_is_plain_data_actions_can_read() -> None:
    assert isinstance(REGISTRY.get("webhook").schema, NetworkSchema)
    assert isinstance(REGISTRY.get("webhook"), NetworkDescriptor) and REGISTRY.get("webhook").pushed


# The payload each network's ``parse`` takes, as the network sends it (fixture files, never pasted).
PARSE_FIXTURES = {
    "x": ("mentions_page_1.json", True),
    "mastodon": ("notifications_page.json", True),
    "bluesky": ("notifications_page.json", True),
    "rss": ("rss2_feed.xml", False),
    "webhook": ("posts_batch.json", False),
    "facebook": ("page_feed_comments.json", True),
    "instagram": ("instagram_events.json", True),
    "youtube": ("comment_threads_page.json", True),
    "google_play": ("reviews_list.json", True),
    "app_store": ("customer_reviews.json", True),
    "google_business": ("reviews_list.json", True),
    "email": ("customer_mail.eml", False),
}
FIXTURE_FOLDERS = {"facebook": "meta", "instagram": "meta"}  # both Meta products share tests/channels/meta


PARSE_SETTINGS: dict[str, dict[str, str]] = {
    "rss": {"feed_url": "https://status.example.com/feed.xml"},
    "google_play": {"package_name": "com.acme.app"},
    "app_store": {"app_id": "1234567890"},
    "google_business": {"location_id": "2222222222"},
}


def test_every_parser_has_a_fixture() -> None:
    assert sorted(d.name for d in REGISTRY if d.parse is not None) == sorted(PARSE_FIXTURES)


@pytest.mark.parametrize("network", sorted(PARSE_FIXTURES))
def test_each_parser_turns_its_fixture_into_valid_posts(network: str) -> None:
    name, is_json = PARSE_FIXTURES[network]
    folder = FIXTURE_FOLDERS.get(network, network)
    payload = load(folder, name) if is_json else raw(folder, name)
    parse = REGISTRY.get(network).parse
    assert parse is not None
    settings = PARSE_SETTINGS.get(network, {})
    posts = parse(payload, T0, settings)
    assert posts != []
    errors = [e for i, p in enumerate(posts, 1) if isinstance(e := post_from_dict(p, line=i), PostError)]
    assert errors == []
    if network != "webhook":  # a webhook source may carry any channel of the post format
        assert {p["channel"] for p in posts} == {network}
