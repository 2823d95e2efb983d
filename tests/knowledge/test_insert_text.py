"""What a suggestion's insert puts in the composer: the whole answer when it fits the network's limit,
else whole sentences and the link; Markdown as plain text."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.domain.text_length import count
from socialdesk.knowledge.explain import explain
from socialdesk.knowledge.index import Document
from socialdesk.knowledge.insert_text import insert_text, joined, plain_text

LINK = "https://help.example.com/refunds_and_returns"


def _fits_x(existing: str) -> Callable[[str], bool]:
    return lambda insert: count("x", joined(existing, insert) + " ^AB") <= 280


def test_plain_text_drops_marks_keeps_links_and_underscores_in_them() -> None:
    md = "# Refunds\n\n**Five** days, see [the policy](https://x.test/a_b).\n\n![logo](https://x.test/l.png)"
    assert plain_text(md) == "Refunds\n\nFive days, see the policy (https://x.test/a_b)."


def test_the_whole_answer_when_it_fits() -> None:
    text, short = insert_text("Refunds", "Refunds take *five* days.", LINK, _fits_x(""))
    assert (text, short) == ("Refunds take five days.", False)


def test_over_the_limit_whole_sentences_then_the_link_within_the_limit() -> None:
    body = "Refunds take five days. " + "The bank may hold it a little longer on weekends. " * 10
    existing = "Hi Ann,"
    text, short = insert_text("Refunds", body, LINK, _fits_x(existing))
    assert short
    assert text.startswith("Refunds take five days.") and text.endswith(" " + LINK)
    assert count("x", joined(existing, text) + " ^AB") <= 280
    assert "…" not in text  # whole sentences


def test_a_first_sentence_too_long_is_cut_at_a_word_with_an_ellipsis() -> None:
    body = " ".join(["refund"] * 200) + "."
    text, short = insert_text("Refunds", body, LINK, lambda t: len(t) <= 100)
    assert short and text.endswith("… " + LINK) and len(text) <= 100


def test_nothing_fits_gives_the_link_alone() -> None:
    body = "Refunds go back to the card you paid with, within five to seven working days of the return."
    assert insert_text("T", body, LINK, lambda t: len(t) <= len(LINK) + 2) == (LINK, True)


def test_why_names_the_shared_words_and_the_closest_question() -> None:
    doc = Document(
        key="k",
        title="Refunds for cancelled orders",
        body="Money back to your card.",
        questions=("where is my refund", "how do I cancel an order"),
    )
    why = explain("Where is my REFUND for the cancelled order??", doc)
    assert why.words == ("refund", "cancelled", "order")
    assert why.question == "where is my refund"
    assert explain("hello there", doc).words == ()


_WORD = st.sampled_from(["refund", "card", "days", "naïve", "😀", "bank", "https://x.test/a", "ok", "the"])
_SENTENCE = st.lists(_WORD, min_size=1, max_size=30).map(lambda ws: " ".join(ws) + ".")


@given(st.lists(_SENTENCE, min_size=1, max_size=20), st.text(max_size=300), st.sampled_from(["x", "bluesky"]))
@settings(max_examples=200, deadline=None)
def test_an_insert_fits_the_network_or_is_the_link_alone(
    sentences: list[str], existing: str, network: str
) -> None:
    def fits(insert: str) -> bool:
        return count(network, joined(existing, insert) + " ^AB") <= (280 if network == "x" else 300)

    text, short = insert_text("Title", " ".join(sentences), LINK, fits)
    assert fits(text) or (short and text == LINK)
    if not short:
        assert text == plain_text(" ".join(sentences))
