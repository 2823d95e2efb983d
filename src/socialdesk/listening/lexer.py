"""Cutting query text into lexemes: words, quoted phrases, parentheses, operators, fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from socialdesk.listening.errors import QuerySyntaxError

LexemeKind = Literal["word", "phrase", "field", "(", ")", "AND", "OR", "NOT", "NEAR"]

_OPERATORS: dict[str, LexemeKind] = {"AND": "AND", "OR": "OR", "NOT": "NOT"}
_STOPS = frozenset('()"')


@dataclass(frozen=True, slots=True)
class Lexeme:
    """One piece of query text. ``column`` is 1-based; for NEAR, ``distance`` holds n."""

    kind: LexemeKind
    text: str
    column: int
    distance: int = 0
    field: str = ""


def _near(text: str, column: int) -> Lexeme:
    digits = text[len("NEAR/") :] if text.startswith("NEAR/") else ""
    if not digits.isdecimal() or not digits.isascii():
        raise QuerySyntaxError("NEAR needs a distance, like NEAR/5", column)
    distance = int(digits)
    if distance < 1:
        raise QuerySyntaxError("NEAR distance must be at least 1", column)
    return Lexeme("NEAR", text, column, distance=distance)


def _word(text: str, column: int) -> Lexeme:
    operator = _OPERATORS.get(text)
    if operator is not None:
        return Lexeme(operator, text, column)
    if text == "NEAR" or text.startswith("NEAR/"):
        return _near(text, column)
    name, colon, _ = text.partition(":")
    if colon and name.isalpha():
        return Lexeme("field", text, column, field=name)
    return Lexeme("word", text, column)


def lex(text: str) -> list[Lexeme]:
    """Split query text into lexemes, or raise `QuerySyntaxError` (unterminated quote)."""
    lexemes: list[Lexeme] = []
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char.isspace():
            index += 1
        elif char in "()":
            lexemes.append(Lexeme("(" if char == "(" else ")", char, index + 1))
            index += 1
        elif char == '"':
            end = text.find('"', index + 1)
            if end < 0:
                raise QuerySyntaxError("unterminated quote", index + 1)
            if text.startswith("~", end + 1):  # Lucene/Brandwatch proximity: "a b"~3
                raise QuerySyntaxError('write proximity with NEAR: "a b"~3 is a NEAR/3 b', end + 2)
            lexemes.append(Lexeme("phrase", text[index + 1 : end], index + 1))
            index = end + 1
        else:
            end = index
            while end < length and not text[end].isspace() and text[end] not in _STOPS:
                end += 1
            lexemes.append(_word(text[index:end], index + 1))
            index = end
    return lexemes
