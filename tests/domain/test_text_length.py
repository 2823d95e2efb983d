from __future__ import annotations

import pytest

from socialdesk.domain.attribution import ELLIPSIS, SignatureTooLong, sign_reply
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


def test_long_reply_is_cut_at_a_word_boundary_to_fit() -> None:
    body = " ".join(["word"] * 100)  # 499 characters
    signed = sign_reply(body, "^AB", "x")
    assert count("x", signed) <= 280
    assert signed.endswith(f"word{ELLIPSIS} ^AB")
    assert count("x", signed) >= 280 - 5  # as much as fits: a next word would not
    assert body.startswith(signed.removesuffix(f"{ELLIPSIS} ^AB"))


def test_never_cuts_inside_a_url_or_mention() -> None:
    body = "Please see " + URL + " and reply to @support_team_account " + "x" * 600
    for network in ("x", "mastodon", "bluesky"):
        signed = sign_reply(body, "^AB", network)
        assert count(network, signed) <= limit(network)  # type: ignore[operator]
        kept = signed.removesuffix(f"{ELLIPSIS} ^AB")
        assert kept in ("Please see " + URL + " and reply to @support_team_account", "Please see " + URL)


def test_url_counts_23_so_long_links_still_fit_on_x() -> None:
    body = "Details: " + "https://example.com/" + "a" * 400
    assert sign_reply(body, "^AB", "x") == body + " ^AB"


def test_cjk_and_emoji_are_weighed_and_never_split() -> None:
    body = "お問い合わせありがとうございます。" * 10 + " " + FAMILY * 50
    signed = sign_reply(body, "^AB", "x")
    assert count("x", signed) <= 280
    # The CJK run has no spaces: it is one "word" cut between grapheme clusters.
    assert signed.endswith(f"{ELLIPSIS} ^AB")
    assert "\u200d" not in signed.removesuffix(f"{ELLIPSIS} ^AB")[-1:]
    emoji_only = sign_reply(FAMILY * 400, "^AB", "bluesky")
    kept = emoji_only.removesuffix(f"{ELLIPSIS} ^AB")
    assert set(graphemes(kept)) == {FAMILY}
    assert count("bluesky", emoji_only) == 300


def test_first_word_that_is_a_link_is_dropped_whole() -> None:
    body = "https://example.com/" + "a" * 600
    assert sign_reply(body, "^AB", "bluesky") == f"{ELLIPSIS} ^AB"


def test_signature_that_cannot_fit_raises() -> None:
    with pytest.raises(SignatureTooLong, match="does not fit"):
        sign_reply("hi", "x" * 279, "x")
    with pytest.raises(ValueError, match="empty"):
        sign_reply("hi", "  ", "x")
