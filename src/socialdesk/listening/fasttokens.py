"""The matcher's tokenizer: `tokens.token_strings`, and the tokens without ``#``/``@``, made fast.

`split_post(text)` returns ``(words, source)``: the bare words (tokens without their mark) and what
`tokens_of` turns into the tokens exactly as `token_strings` returns them (the words list itself when no
token is marked, so most posts never build a second list). Tests check both against `token_strings`.

Everything is done by string methods over the whole text: the byte translation of `tokens` turns ASCII
separators into spaces. Text with non-ASCII characters is cut at whitespace first; the chunks with
non-ASCII characters are tokenized on their own (remembered per chunk: emoji and accented words repeat)
and written back as their tokens separated by spaces. Tokenizing at whitespace first changes nothing:
NFKC and case folding never join characters across whitespace, and the mark rules restart at
whitespace. When every ``#``/``@`` starts a space-separated chunk and is followed by something, the
chunks are the tokens; otherwise the careful pass of `tokens` decides.
"""

from __future__ import annotations

from typing import Final

from socialdesk.listening.tokens import _BYTE_TABLE, _careful, _marks_need_care, token_strings

_FOREIGN: dict[str, str] = {}  # a chunk with non-ASCII characters -> its tokens, joined by spaces
FOREIGN_LIMIT: Final = 50_000


def chunk_tokens(chunk: str) -> str:
    """The tokens of a chunk with non-ASCII characters, joined by spaces (remembered per chunk)."""
    found = _FOREIGN.get(chunk)
    if found is None:
        if len(_FOREIGN) >= FOREIGN_LIMIT:
            _FOREIGN.clear()
        found = _FOREIGN[chunk] = " ".join(token_strings(chunk))
    return found


def prepared_text(text: str) -> str:
    """The text with each whitespace-separated chunk that has non-ASCII characters written as its tokens
    separated by spaces: the same tokens, and every byte >= 0x80 of its UTF-8 is part of a word."""
    return " ".join([chunk if chunk.isascii() else chunk_tokens(chunk) for chunk in text.split()])


def split_post(text: str) -> tuple[list[str], str | list[str]]:
    """The bare words of a post's text, and the source of its tokens (see `tokens_of`)."""
    if not text.isascii():
        text = prepared_text(text)
    spaced = text.encode().translate(_BYTE_TABLE).decode()
    if "#" not in spaced and "@" not in spaced:
        words = spaced.split()
        return words, words
    if not _marks_need_care(" " + spaced + " ", spaced.count("#") + spaced.count("@")):
        return spaced.replace("#", " ").replace("@", " ").split(), spaced
    tokens = _careful(spaced.split())
    return [token[1:] if token[0] == "#" or token[0] == "@" else token for token in tokens], tokens


def tokens_of(source: str | list[str]) -> list[str]:
    """The tokens, from the source `split_post` returned."""
    return source.split() if isinstance(source, str) else source
