"""The dedupe key: its whitespace folding is the regular expression it replaced, on any text."""

from __future__ import annotations

import hashlib
import re
import sys

from hypothesis import given
from hypothesis import strategies as st

from socialdesk.domain.noise import dedupe_key

WHITESPACE = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]


def _reference(channel: str, author_id: str, text: str) -> str:
    normalized = re.sub(r"\s+", " ", text.casefold()).strip()
    data = f"{channel}\x1f{author_id}\x1f{normalized}".encode(errors="surrogatepass")
    return hashlib.sha256(data).hexdigest()[:32]


@given(st.text(alphabet=st.sampled_from(WHITESPACE) | st.characters(), max_size=40))
def test_dedupe_key_folds_whitespace_as_the_regex_does(text: str) -> None:
    assert dedupe_key("x", "42", text) == _reference("x", "42", text)


def test_dedupe_key_ignores_case_and_spacing_only() -> None:
    assert dedupe_key("x", "1", "My  Router\tIS dead ") == dedupe_key("x", "1", "my router is dead")
    assert dedupe_key("x", "1", "my router is dead") != dedupe_key("x", "2", "my router is dead")
    assert dedupe_key("x", "1", "my router is dead") != dedupe_key("x", "1", "my router is dea d")
    assert "\x1c" in WHITESPACE and "\u3000" in WHITESPACE  # the odd ones are in the alphabet
