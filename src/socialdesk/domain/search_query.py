"""What a person types in a search box, parsed into terms the full-text indexes can take safely.

The language is small on purpose, and nothing typed can make it fail:
- words: every word must occur (in any order, any case, with or without accents);
- `"a phrase"`: these words, next to each other, in this order (an unbalanced quote runs to the end);
- `word*`: a prefix (`refund*` finds "refunded"); `"a phra"*` makes the phrase's last word a prefix.

Everything else is text, never syntax: FTS5's and tsquery's operators (`NEAR`, `AND`, `OR`, `NOT`,
`-`, `:`, `^`, `(`, `&`, `|`, `!`, `<->`) are plain words or separators. A term keeps only its words
(runs of letters and digits); the storage layer quotes each one (storage/search_sql.py). A query with
no word at all (only punctuation, like `%`) has no terms: the search then looks for it literally.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_TERMS = 16  # more words than this narrow nothing further and only cost time
MAX_WORD = 100


@dataclass(frozen=True, slots=True)
class Term:
    """Words that must occur next to each other in this order (one word: just that word); with
    `prefix`, the last one may be the start of a longer word."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class SearchQuery:
    terms: tuple[Term, ...]
    text: str  # as typed

    @property
    def is_empty(self) -> bool:
        return not self.terms

    def all_prefixes(self) -> SearchQuery:
        """The same query with every word a prefix: for names and handles, where "jane" should find
        "JaneDoe77"."""
        terms = tuple(Term((w,), prefix=True) for t in self.terms for w in t.words)
        return SearchQuery(terms, self.text)


def words_of(text: str) -> tuple[str, ...]:
    """The runs of letters and digits (any script), in order; every other character separates."""
    out: list[str] = []
    current: list[str] = []
    for char in text:
        if char.isalnum():
            current.append(char)
        elif current:
            out.append("".join(current)[:MAX_WORD])
            current = []
    if current:
        out.append("".join(current)[:MAX_WORD])
    return tuple(out)


def parse_search(text: str) -> SearchQuery:
    """The terms of `text`; never raises."""
    terms: list[Term] = []
    i, n = 0, len(text)
    while i < n and len(terms) < MAX_TERMS:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        if char == '"':
            end = text.find('"', i + 1)
            chunk = text[i + 1 :] if end < 0 else text[i + 1 : end]
            i = n if end < 0 else end + 1
            prefix = i < n and text[i] == "*"
            if prefix:
                i += 1
        else:
            end = i
            while end < n and not text[end].isspace() and text[end] != '"':
                end += 1
            chunk = text[i:end]
            i = end
            prefix = chunk.endswith("*") and bool(words_of(chunk))
        words = words_of(chunk)
        if words:
            terms.append(Term(words, prefix=prefix))
    return SearchQuery(tuple(terms), text)
