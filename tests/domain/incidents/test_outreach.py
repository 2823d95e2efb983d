"""Drafts for everyone an incident affects: personal (name, their words), varied, within each
network's length rules with the signature, private ones unsigned within the private limit."""

from __future__ import annotations

import pytest

from socialdesk.domain.incidents.outreach import (
    PHRASINGS,
    Customer,
    ReplyPace,
    draft_answer,
    draft_fixed,
    fits,
    parse_pace,
    quoted_words,
)
from socialdesk.domain.text_length import count, limit

NETWORKS = ("x", "mastodon", "bluesky", "facebook", "instagram", "youtube", "review", "email")
SAME_WORDS = "@AcmeCares internet is down in Leeds since 8am, anyone else? https://t.co/abc"


@pytest.mark.parametrize("draft", [draft_answer, draft_fixed])
def test_no_two_drafts_of_a_50_customer_incident_are_identical_even_with_the_same_name_and_words(
    draft: object,
) -> None:
    customers = [Customer(i, NETWORKS[i % len(NETWORKS)], "Sam Jones", SAME_WORDS) for i in range(50)]
    texts = [draft(c, i, 7, "^AB") for i, c in enumerate(customers)]  # type: ignore[operator]
    assert all(t is not None for t in texts)
    # The network differs between some; compare without it: the wording itself is never repeated.
    assert len(set(texts)) == 50
    for c, t in zip(customers, texts, strict=True):
        assert t is not None and fits(t, c.channel, False), (c.channel, t)
        assert t.startswith(("Hi Sam", "Hello Sam", "Hey Sam", "Sam,", "Thanks for telling us, Sam"))
        assert t.endswith(" ^AB")
        assert "internet is down in Leeds" in t


def test_every_phrasing_differs_on_one_network_for_as_many_customers_as_there_are_phrasings() -> None:
    c = Customer(1, "mastodon", "Sam", "wifi down")
    texts = {draft_answer(c, i, 3, "") for i in range(PHRASINGS)}
    assert len(texts) == PHRASINGS


def test_a_long_post_is_quoted_in_a_few_words_and_the_draft_fits_x_with_the_signature() -> None:
    words = "my fibre has been dropping every ten minutes all evening and the router lights are red " * 4
    c = Customer(1, "x", "Alexandria Montgomery-Smythe", words)
    text = draft_answer(c, 0, 1, "^AB", "Engineers are replacing a damaged cable near Leeds station.")
    assert text is not None and count("x", text) <= (limit("x") or 0)
    assert "my fibre has been dropping every ten minutes…" in text
    assert text.startswith("Hello Alexandria") or "Alexandria" in text


def test_the_status_text_and_then_the_quote_give_way_when_the_network_is_tight() -> None:
    status = "Engineers are on site; " * 8
    c = Customer(1, "x", "Sam", "broadband down in Leeds again and again and again")
    text = draft_answer(c, 0, 1, "^AB", status)
    assert text is not None and count("x", text) <= 280
    assert "Latest:" not in text and "broadband down in Leeds" in text


def test_a_private_draft_is_unsigned_and_within_the_private_limit() -> None:
    c = Customer(1, "mastodon", "Sam", "still no signal " * 40, private=True)
    text = draft_fixed(c, 2, 1, "^AB")
    assert text is not None and not text.endswith("^AB") and fits(text, "mastodon", True)


def test_their_words_never_carry_links_mentions_or_quote_marks() -> None:
    assert quoted_words('@acme "wifi" down https://x.co/1 in Leeds') == "wifi down in Leeds"
    assert quoted_words("") == ""


def test_the_pace_setting_parses_and_spaces_replies_per_network() -> None:
    pace = parse_pace("default=10, mastodon=30")
    assert pace == ReplyPace(10.0, (("mastodon", 30.0),))
    assert pace.delay_seconds("mastodon", 3) == 6.0 and pace.delay_seconds("x", 1) == 6.0
    for bad in ("mastodon", "x=0", "x=fast", "=3"):
        with pytest.raises(ValueError, match="NETWORK=REPLIES_PER_MINUTE"):
            parse_pace(bad)
