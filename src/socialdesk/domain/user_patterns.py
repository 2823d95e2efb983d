"""Regular expressions that users write (approval rules), matched in linear time by RE2.

Python's `re` backtracks: a pattern such as ``(a+)+$`` takes time exponential in the text's length,
so one saved rule could freeze the server on every reply. RE2 (google-re2) runs in time linear in
the text, whatever the pattern; the price is its syntax, which has no backreferences and no
lookaround. Every user-supplied pattern goes through `compile_user_pattern`: it refuses such
constructs with a message naming them, bounds the pattern's length and the automaton's memory, and
`UserPattern.search` bounds the text it looks at.

RE2's ``\\w``, ``\\d``, ``\\s`` and ``\\b`` are ASCII; ``\\pL`` (any letter) and ``\\p{Greek}`` reach
other scripts.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import re2

MAX_PATTERN_CHARS = 200
"""The longest pattern a rule may hold (the API refuses longer ones with 422)."""
MAX_INPUT_CHARS = 20_000
"""The text a pattern looks at: the first this many characters (a reply is far shorter)."""
_MAX_MEMORY = 8 << 20  # bytes for the compiled automaton: huge counted repetitions are refused

# What RE2 refuses, named for the person who wrote it (checked before RE2's own message).
_UNSUPPORTED = (
    ("(?<=", "lookbehind (?<=...)"),
    ("(?<!", "negative lookbehind (?<!...)"),
    ("(?=", "lookahead (?=...)"),
    ("(?!", "negative lookahead (?!...)"),
    ("(?>", "atomic group (?>...)"),
    ("(?(", "conditional group (?(...)...)"),
    ("(?#", "comment group (?#...)"),
    ("(?P=", "named backreference (?P=name)"),
    ("\\Z", "\\Z (use $ or \\z)"),
)


class UnsupportedPattern(ValueError):
    """A pattern RE2 cannot run, with the reason (the construct, or RE2's message)."""


@dataclass(frozen=True, slots=True)
class UserPattern:
    """A compiled user pattern; `engine` is RE2's compiled object."""

    source: str
    engine: Any

    def search(self, text: str) -> bool:
        text = text[:MAX_INPUT_CHARS]
        if self.engine.search(text) is not None:
            return True
        # Python's `$` also matches before a final newline, RE2's only at the very end: do as Python.
        return "$" in self.source and text.endswith("\n") and self.engine.search(text[:-1]) is not None


def _construct(pattern: str) -> str | None:
    """The first construct of `pattern` RE2 does not support, named; None when there is none."""
    for token, name in _UNSUPPORTED:
        if token in pattern:
            return name
    escaped = False
    for char in pattern:
        if escaped:
            if char in "123456789":
                return f"backreference \\{char}"
            escaped = False
        elif char == "\\":
            escaped = True
    return None


@functools.lru_cache(maxsize=512)
def compile_user_pattern(pattern: str, *, ignore_case: bool = True) -> UserPattern:
    """Compile a user's pattern for RE2, or raise `UnsupportedPattern` saying what is wrong."""
    if len(pattern) > MAX_PATTERN_CHARS:
        raise UnsupportedPattern(f"longer than {MAX_PATTERN_CHARS} characters")
    if "\x00" in pattern:
        raise UnsupportedPattern("contains a NUL character")
    construct = _construct(pattern)
    if construct is not None:
        raise UnsupportedPattern(
            f"{construct} is not supported (patterns use RE2 syntax: no backreferences or lookaround)"
        )
    options = re2.Options()
    options.case_sensitive = not ignore_case
    options.log_errors = False
    options.max_mem = _MAX_MEMORY
    try:
        engine = re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else "invalid pattern"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise UnsupportedPattern(str(reason)) from None
    return UserPattern(pattern, engine)
