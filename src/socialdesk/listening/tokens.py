"""How text becomes tokens: the one tokenizer shared by posts and query terms.

Rules (documented for users in docs/monitors.md):

- Text is normalized with NFKC, then case-folded (``str.casefold``), so ``Straße`` folds to ``strasse``
  and styled letters such as fullwidth ``ＣＯＭＣＡＳＴ`` fold to ``comcast``. The Turkish capital ``İ``
  folds to ``i`` (the combining dot that ``casefold`` leaves is dropped); the dotless ``ı`` stays ``ı``.
- A token is a maximal run of letters and digits (``str.isalnum``) together with the combining marks
  that follow them (so Devanagari or Arabic words with vowel signs stay whole). Everything else splits:
  spaces, punctuation, apostrophes (``comcast's`` -> ``comcast``, ``s``), underscores, emoji
  (``comcast😡`` -> ``comcast``), and the punctuation of URLs (``https://comcast.com/x`` ->
  ``https``, ``comcast``, ``com``, ``x``).
- Chinese and Japanese characters (Han ideographs, Hiragana, Katakana) are one token each, because
  those scripts do not put spaces between words; a query term written in them matches as a phrase.
  The same holds for Thai, Lao, Myanmar and Khmer (each letter and each vowel or tone mark).
- A token directly after ``#`` is a hashtag, directly after ``@`` a mention, provided the ``#``/``@``
  itself does not follow a letter or digit: ``a@b.com`` has no mention, ``@comcast@mastodon.social``
  mentions ``comcast``.

Tokens are written as strings: the folded word, prefixed with ``#`` or ``@`` when it was a hashtag or
a mention. Positions are indexes in the list.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Final, Literal

Mark = Literal["", "#", "@"]

HASHTAG: Final = "#"
MENTION: Final = "@"

# Bytes 0-127 map to themselves when they are a-z, 0-9, '#' or '@', A-Z map to lower case, every other
# ASCII byte to a space; bytes >= 128 (the rest of UTF-8 sequences) are kept for the careful pass.
_KEEP: Final = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789#@")
_BYTE_TABLE: Final = bytes(
    b if b >= 128 or b in _KEEP else b + 32 if 65 <= b <= 90 else 32 for b in range(256)
)

# Han ideographs (with extensions and compatibility blocks), Hiragana, Katakana (+ phonetic extensions
# and halfwidth forms): one token per character.
_CJK_RANGES: Final = (
    (0x3040, 0x30FF),
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF66, 0xFF9F),
    (0x20000, 0x3134F),
    # Thai, Lao, Myanmar and Khmer write no spaces between words either: their letters and the vowel
    # and tone marks that follow are one token each, so a query word matches as a phrase of them.
    (0x0E00, 0x0EFF),
    (0x1000, 0x109F),
    (0x1780, 0x17FF),
)
# Emoji presentation selectors and the keycap mark are marks in Unicode but never part of a word.
_NOT_WORD_MARKS: Final = ((0xFE00, 0xFE0F), (0x20E3, 0x20E3), (0xE0100, 0xE01EF))


@dataclass(frozen=True, slots=True)
class Token:
    """One token of a text: its folded word and whether it was a hashtag (``#``) or mention (``@``)."""

    word: str
    mark: Mark = ""

    def __str__(self) -> str:
        return self.mark + self.word


_WORD, _CJK, _MARK, _OTHER = 0, 1, 2, 3
_KINDS: dict[str, int] = {"#": _MARK, "@": _MARK}


def _kind(char: str) -> int:
    """Whether a character is part of a word, a CJK one-character word, a ``#``/``@`` mark, or other."""
    kind = _KINDS.get(char)
    if kind is None:
        point = ord(char)
        if any(low <= point <= high for low, high in _CJK_RANGES):
            kind = _CJK
        elif char.isalnum() or (
            unicodedata.category(char).startswith("M")
            and not any(low <= point <= high for low, high in _NOT_WORD_MARKS)
        ):
            kind = _WORD
        else:
            kind = _OTHER
        _KINDS[char] = kind
    return kind


def _split_chunk(chunk: str) -> list[str]:
    """The careful pass over one space-free chunk: character by character."""
    out: list[str] = []
    word: list[str] = []
    mark = ""  # the mark of the word being built
    pending = ""  # a mark seen since the last word character, valid if not after a word character
    after_word = False
    for char in chunk:
        kind = _kind(char)
        if kind == _WORD:
            if not word:
                mark = pending
            word.append(char)
            pending = ""
            after_word = True
            continue
        if word:
            out.append(mark + "".join(word))
            word = []
        if kind == _CJK:
            out.append(pending + char)
            pending = ""
            after_word = True
        elif kind == _MARK:
            pending = "" if after_word else char
            after_word = False
        else:
            pending = ""
            after_word = False
    if word:
        out.append(mark + "".join(word))
    return out


def _careful(chunks: list[str]) -> list[str]:
    out: list[str] = []
    for chunk in chunks:
        if chunk.isascii() and (chunk.isalnum() or (chunk[0] in "#@" and chunk[1:].isalnum())):
            out.append(chunk)
        else:
            out.extend(_split_chunk(chunk))
    return out


def fold(text: str) -> str:
    """Normalize text the way tokens are compared: NFKC, case folding, Turkish ``İ`` -> ``i``."""
    if text.isascii():
        return text.lower()
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    folded = text.casefold()
    if "\u0307" in folded:
        folded = folded.replace("i\u0307", "i")
    if not unicodedata.is_normalized("NFKC", folded):
        folded = unicodedata.normalize("NFKC", folded)
    return folded


def _marks_need_care(padded: str, marks: int) -> bool:
    """Whether some ``#``/``@`` follows a non-space (``a#b``, ``##x``) or precedes a space (lone ``#``)."""
    return padded.count(" #") + padded.count(" @") != marks or "# " in padded or "@ " in padded


def token_strings(text: str) -> list[str]:
    """Tokens of ``text`` as strings (``"#comcast"``, ``"@xfinity"``, ``"down"``), in order."""
    if text.isascii():
        spaced = text.encode("ascii").translate(_BYTE_TABLE).decode("ascii")
        chunks = spaced.split()
        marks = spaced.count("#") + spaced.count("@")
        if marks and _marks_need_care(" " + spaced + " ", marks):
            return _careful(chunks)
        return chunks
    return _careful(fold(text).encode("utf-8").translate(_BYTE_TABLE).decode("utf-8").split())


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` in order, each with its hashtag/mention mark."""
    tokens = []
    for token in token_strings(text):
        first = token[0]
        if first == "#":
            tokens.append(Token(token[1:], HASHTAG))
        elif first == "@":
            tokens.append(Token(token[1:], MENTION))
        else:
            tokens.append(Token(token))
    return tokens
