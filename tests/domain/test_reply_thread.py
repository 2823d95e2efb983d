"""A reply over the network's limit as a numbered thread (issue 15, item 3): each part within the limit,
the parts give back the text, the signature only on the last."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.reply_thread import MAX_PARTS, split_thread
from socialdesk.domain.text_length import count, limit

SIGNATURE = "^DA"
FAMILY = "👨‍👩‍👧‍👦"
NUMBER = re.compile(r"^(\d+)/(\d+) ")

words = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Cc")), min_size=1, max_size=12),
    st.sampled_from(["https://example.com/a/long/path?x=1", "example.com/help", "@NimbusCares",
                     "@NimbusCares@mastodon.social", FAMILY, "お問い合わせ", "e\u0301", "x" * 400]),
)  # fmt: skip
texts = st.lists(st.tuples(words, st.sampled_from([" ", "  ", "\n"])), min_size=1, max_size=60).map(
    lambda pairs: "".join(w + sep for w, sep in pairs).strip()
)


@settings(max_examples=80, deadline=None)
@given(text=texts, network=st.sampled_from(["x", "mastodon", "bluesky"]))
def test_every_part_fits_the_parts_give_back_the_text_and_only_the_last_is_signed(
    text: str, network: str
) -> None:
    if not text.strip():
        return
    most = limit(network)
    assert most is not None
    length = count(network, text)
    if length > MAX_PARTS * most:  # more than a thread can hold, whatever the cuts
        with pytest.raises(ValidationFailed, match=f"at most {MAX_PARTS}"):
            split_thread(text, network, SIGNATURE)
        return
    if length > MAX_PARTS * (most - 40):  # near the cap: may or may not need a 26th part
        return
    parts = split_thread(text, network, SIGNATURE)
    assert "".join(p.body for p in parts) == text
    for index, part in enumerate(parts, 1):
        assert count(network, part.text) <= most
        assert part.body.strip()
        if len(parts) > 1:
            assert NUMBER.match(part.text) is not None
            assert NUMBER.match(part.text).groups() == (str(index), str(len(parts)))  # type: ignore[union-attr]
        last = index == len(parts)
        assert part.text.endswith(" " + SIGNATURE) == last or SIGNATURE in part.body


@pytest.mark.parametrize(("network", "most"), [("x", 280), ("mastodon", 500), ("bluesky", 300)])
def test_a_long_reply_becomes_numbered_parts_cut_between_words(network: str, most: int) -> None:
    text = " ".join(f"word{i}" for i in range(200))
    parts = split_thread(text, network, SIGNATURE)
    assert len(parts) >= 2
    assert [p.text.split(" ", 1)[0] for p in parts] == [f"{i}/{len(parts)}" for i in range(1, len(parts) + 1)]
    assert all(count(network, p.text) <= most for p in parts)
    assert all(re.fullmatch(r"word\d+", w) for p in parts for w in p.text.split(" ")[1:] if w != SIGNATURE)
    assert parts[-1].text.endswith("word199 ^DA")


def test_x_links_weigh_23_and_a_reply_that_fits_is_one_unnumbered_part() -> None:
    link = "https://support.example.com/" + "a" * 300
    [one] = split_thread(f"See {link} for the steps", "x", SIGNATURE)
    assert one.text == f"See {link} for the steps ^DA"
    parts = split_thread(" ".join([link] * 20), "x", SIGNATURE)  # 20 links of 23 each (plus spaces)
    assert len(parts) == 2 and all(count("x", p.text) <= 280 for p in parts)


def test_bluesky_counts_graphemes_and_never_splits_one() -> None:
    parts = split_thread(FAMILY * 700, "bluesky", SIGNATURE)
    assert all(count("bluesky", p.text) <= 300 for p in parts)
    assert all(p.body == FAMILY * (len(p.body) // len(FAMILY)) for p in parts)
