from __future__ import annotations

import pytest

from socialdesk.domain.attribution import SignatureTooLong, over_limit, sign_reply
from socialdesk.domain.graphemes import graphemes
from socialdesk.domain.text_length import count, limit

FAMILY = "👨‍👩‍👧‍👦"  # four people joined by ZWJ
THUMB = "👍🏽"  # with a skin tone
FLAGS = "🇬🇧🇫🇷"
SCOTLAND = "🏴󠁧󠁢󠁳󠁣󠁴󠁿"  # tag sequence
KEYCAP = "1️⃣"
URL = "https://support.example.com/articles/123456?utm_source=twitter"


@pytest.mark.parametrize(
    ("text", "clusters"),
    [
        ("", 0),
        ("abc", 3),
        (FAMILY, 1),
        (THUMB, 1),
        (FLAGS, 2),
        ("🇬🇧🇫", 2),  # a lone regional indicator stands alone
        (SCOTLAND, 1),
        (KEYCAP, 1),
        ("e\u0301", 1),  # combining acute
        ("\r\n", 1),
        ("한국어", 3),
        ("\u1100\u1161\u11a8", 1),  # conjoining jamo make one syllable
        ("❤️", 1),  # with VS16
        ("a\u200db", 2),  # ZWJ between letters does not join them
    ],
)
def test_graphemes(text: str, clusters: int) -> None:
    assert len(graphemes(text)) == clusters
    assert "".join(graphemes(text)) == text


@pytest.mark.parametrize(
    ("network", "text", "expected"),
    [
        ("x", "hello", 5),
        ("x", "日本語", 6),  # CJK weighs 2
        ("x", "こんにちは、世界", 16),
        ("x", FAMILY, 2),  # one emoji sequence weighs 2 in all
        ("x", THUMB + FLAGS, 6),
        ("x", "café — ok", 9),  # Latin-1 and the em dash weigh 1
        ("x", f"see {URL}", 4 + 23),
        ("x", "see example.com/help.", 4 + 23 + 1),  # links without a scheme count too
        ("x", "mail me@example.com", 19),  # an e-mail address is not a link
        ("x", "e\u0301", 1),  # NFC first
        ("mastodon", "hi @alice@mastodon.social", 9),
        ("mastodon", f"hi @bob {URL}", 8 + 23),
        ("mastodon", "example.com", 11),  # Mastodon links only URLs with a scheme
        ("mastodon", FAMILY + "!", 2),
        ("bluesky", FAMILY + FLAGS + "e\u0301", 4),
        ("bluesky", "日本語", 3),
        ("email", FAMILY, 7),
    ],
)
def test_count(network: str, text: str, expected: int) -> None:
    assert count(network, text) == expected


def test_limits() -> None:
    assert (limit("x"), limit("mastodon"), limit("bluesky"), limit("email")) == (280, 500, 300, None)


# --- attribution ------------------------------------------------------------------------------------


def test_short_reply_is_signed_unchanged() -> None:
    assert sign_reply("  Thanks, we're on it!  ", "^AB", "x") == "Thanks, we're on it! ^AB"
    assert sign_reply("Thanks", "via @ada", "email") == "Thanks via @ada"


def test_a_long_reply_is_never_cut_it_is_refused_naming_the_limit() -> None:
    # Issue 15, item 3: a 320-character reply went out cut at "...We are really… ^DA".
    body = ("We are really sorry about the outage in your area today. " * 6)[:320].strip()
    signed = sign_reply(body, "^DA", "x")
    assert signed == body + " ^DA"  # signing never shortens
    too_long = over_limit("x", signed)
    assert too_long is not None and too_long.most == 280 and too_long.length == 324
    assert "x allows 280" in str(too_long) and "send it as a thread" in str(too_long)
    assert over_limit("mastodon", signed) is None
    emoji = FAMILY * 301
    assert over_limit("bluesky", emoji) is not None and over_limit("bluesky", FAMILY * 300) is None


def test_url_counts_23_so_long_links_still_fit_on_x() -> None:
    body = "Details: " + "https://example.com/" + "a" * 400
    assert sign_reply(body, "^AB", "x") == body + " ^AB"
    assert over_limit("x", body + " ^AB") is None


def test_signature_that_cannot_fit_raises() -> None:
    with pytest.raises(SignatureTooLong, match="does not fit"):
        sign_reply("hi", "x" * 279, "x")
    with pytest.raises(ValueError, match="empty"):
        sign_reply("hi", "  ", "x")
