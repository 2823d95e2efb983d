"""The unscripted guard's similarity: shingled Jaccard over normalised words, held to a plain
reference by property tests."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from socialdesk.knowledge.similarity import closest, containment, similarity

WORDS = ["sorry", "Sorry", "for", "the", "trouble", "we", "fix", "it", "now", "DM", "us", "team", "42"]
SEPARATORS = [" ", "  ", ", ", ". ", "! ", "\n"]


def _texts() -> st.SearchStrategy[str]:
    pieces = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=14)
    return pieces.map(lambda ps: "".join(w + s for w, s in ps))


def reference(a: str, b: str) -> float:
    """The same measure written plainly: lower-case ASCII words, pairs of neighbours, shared / all."""

    def pairs(text: str) -> list[str]:
        ws = re.findall(r"[a-z0-9]+", text.lower())
        if not ws:
            return []
        if len(ws) < 2:
            return [" ".join(ws)]
        out: list[str] = []
        for i in range(len(ws) - 1):
            pair = ws[i] + " " + ws[i + 1]
            if pair not in out:
                out.append(pair)
        return out

    left, right = pairs(a), pairs(b)
    if not left or not right:
        return 0.0
    shared = [p for p in left if p in right]
    union = left + [p for p in right if p not in left]
    return len(shared) / len(union)


@given(_texts(), _texts())
def test_similarity_is_the_reference(a: str, b: str) -> None:
    assert similarity(a, b) == reference(a, b)


@given(_texts(), _texts())
def test_similarity_is_symmetric_and_bounded(a: str, b: str) -> None:
    assert similarity(a, b) == similarity(b, a)
    assert 0.0 <= similarity(a, b) <= 1.0


@given(_texts())
def test_a_reply_is_identical_to_itself_whatever_its_case_or_the_mention(text: str) -> None:
    expected = 1.0 if re.search(r"[a-z0-9]", text.lower()) else 0.0
    assert similarity(text, text) == expected
    assert similarity("@ann " + text, "@bob@mastodon.example " + text.upper()) == expected


def test_accents_and_case_fold() -> None:
    assert similarity("Désolé pour la PANNE", "desole pour la panne") == 1.0


def test_word_order_matters_and_a_personal_touch_lowers_it() -> None:
    script = "Sorry for the trouble, we are looking into it and will update you soon"
    assert similarity(script, "soon you update will and it into looking are we trouble the for sorry") == 0.0
    personal = "Eve, sorry the app logged you out this morning: we are looking into it now"
    assert similarity(script, personal) < 0.5


def test_closest_and_containment() -> None:
    assert closest("we fix it now", []) == (0.0, None)
    score, where = closest("we fix it now", ["nothing alike", "we fix it now", "we fix it"])
    assert (score, where) == (1.0, 1)
    assert containment("refunds take five days", "Hi Ann! Refunds take five days. Thanks") == 1.0
    assert containment("", "anything") == 0.0
