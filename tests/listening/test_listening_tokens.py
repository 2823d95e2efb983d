"""Tokenization rules: whole tokens, case folding, hashtags and mentions, URLs, emoji, scripts."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.listening.tokens import Token, fold, token_strings, tokenize

CASES = [
    ("Comcast is DOWN", ["comcast", "is", "down"]),
    ("comcast's outage", ["comcast", "s", "outage"]),
    ("comcast’s outage", ["comcast", "s", "outage"]),
    ("#Comcast @xfinity", ["#comcast", "@xfinity"]),
    ("https://comcast.com/x?a=1", ["https", "comcast", "com", "x", "a", "1"]),
    ("comcast😡😡 down", ["comcast", "down"]),
    ("😡comcast", ["comcast"]),
    ("❤️comcast", ["comcast"]),
    ("Straße", ["strasse"]),
    ("CAFÉ café cafe\u0301", ["café", "café", "café"]),
    ("İSTANBUL Istanbul ıstanbul", ["istanbul", "istanbul", "ıstanbul"]),
    ("ＣＯＭＣＡＳＴ", ["comcast"]),
    ("no_service", ["no", "service"]),
    ("wi-fi", ["wi", "fi"]),
    ("mail me@example.com", ["mail", "me", "example", "com"]),
    ("@comcast@mastodon.social", ["@comcast", "mastodon", "social"]),
    ("a#b ##c #@d # @ e# f@", ["a", "b", "#c", "@d", "e", "f"]),
    ("foo_#bar (#baz) #9am", ["foo", "#bar", "#baz", "#9am"]),
    ("हिन्दी समाचार", ["हिन्दी", "समाचार"]),
    ("康卡斯特服务", ["康", "卡", "斯", "特", "服", "务"]),
    ("コムキャスト down", ["コ", "ム", "キ", "ャ", "ス", "ト", "down"]),
    ("한국어 서비스", ["한국어", "서비스"]),
    ("เน็ตล่ม #ทรู", ["เ", "น", "็", "ต", "ล", "่", "ม", "#ท", "ร", "ู"]),
    ("ខ្មែរ", ["ខ", "្", "ម", "ែ", "រ"]),
    ("", []),
    ("!!! ... 😡", []),
    ("5️⃣ stars", ["5", "stars"]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_token_strings(text: str, expected: list[str]) -> None:
    assert token_strings(text) == expected


def test_tokenize_gives_marks() -> None:
    assert tokenize("#Comcast @X down") == [Token("comcast", "#"), Token("x", "@"), Token("down")]
    assert str(Token("comcast", "#")) == "#comcast"


@pytest.mark.parametrize("text", ["Straße", "İSTANBUL", "ＣＯＭＣＡＳＴ", "ΐ", "cafe\u0301", "ǅ", "ﬁne"])
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


def _kind(char: str) -> str:
    if char in "#@":
        return "mark"
    point = ord(char)
    if 0x3040 <= point <= 0x30FF or 0x4E00 <= point <= 0x9FFF:
        return "cjk"
    if char.isalnum() or (
        unicodedata.category(char).startswith("M") and not (0xFE00 <= point <= 0xFE0F or point == 0x20E3)
    ):
        return "word"
    return "other"


def _naive(text: str) -> list[str]:
    """The rules of tokens.py, written character by character over the folded text."""
    text = fold(text)
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        kind = _kind(char)
        mark = ""
        previous = _kind(text[index - 1]) if index else "other"
        followed = index + 1 < len(text) and _kind(text[index + 1]) in ("word", "cjk")
        if kind == "mark" and previous not in ("word", "cjk") and followed:
            mark, index = char, index + 1
            char, kind = text[index], _kind(text[index])
        if kind == "cjk":
            out.append(mark + char)
            index += 1
        elif kind == "word":
            end = index
            while end < len(text) and _kind(text[end]) == "word":
                end += 1
            out.append(mark + text[index:end])
            index = end
        else:
            index += 1
    return out


ALPHABET = "aZ9 #@_-'.:/é\u0301ß日本😡\ufe0fİ‘’Ａx"


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=24))
def test_tokenizer_agrees_with_naive_rules(text: str) -> None:
    assert token_strings(text) == _naive(text)
