"""Word-for-word English glosses of posts in other languages, so the English model and rules can read them.

The learned heads saw English tweets only, and the harm, outage and question rules are English
phrases. For a post detected as one of `GLOSS_LANGUAGES`, `gloss` rewrites it phrase by phrase
with a hand-written bilingual lexicon of customer-care words (`triage/lexicons/`): complaint and
question cues, harms (outage, money, travel, safety, long waits), negation, intensifiers and
question forms (the inverted "¿", Japanese "か" / "ですか" / "？"). The longest lexicon phrase
wins; a word the lexicon does not know is kept as it is (brand and product names, and the many
loan words such as "app", "wifi" or "online" that the English model knows). Japanese is written
without spaces, so it is segmented by the same longest-match rule over characters.

Every English word of the gloss remembers the words of the post it came from (`Glossed.sources`),
so an explanation can quote the customer's own words rather than the gloss.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from socialdesk.triage.language import ENGLISH_WORDS as _ENGLISH
from socialdesk.triage.lexicons import BY_SCRIPT, LEXICONS, UNSPACED

GLOSS_LANGUAGES = frozenset(LEXICONS)
_MAX_SPACED = 4  # longest lexicon phrase, in words, for spaced languages
_MAX_CJK = 8  # longest lexicon entry, in characters, for Japanese
_SPLIT_GAP = 6  # how far a split phrase's closing word may stand from its first word
_CLAUSE_END = frozenset(".,;:!?")

# Words (with a French/Italian elision apostrophe kept on the first part), mentions, hashtags,
# links, numbers, runs of punctuation, and any other single character (emoji).
_TOKEN_RE = re.compile(
    r"https?://\S+|www\.\S+|[@#]\w+|\d+(?:[.,:/]\d+)*|[^\W\d_]+'?|[¿¡?!]+|[.,;:]+|\S",
)
_WIDE = str.maketrans({"？": "?", "！": "!", "。": ".", "、": ",", "，": ",", "：": ":", "’": "'", "´": "'"})
# A Japanese sentence ending in the question particle か (optionally かな / かね) is a question.
_JA_QUESTION_RE = re.compile(r"(?:か|かな|かね)(?=\s*(?:[.!?,]|$))")
_ASCII_RUN_RE = re.compile(r"[\x21-\x7e]+")


@dataclass(frozen=True, slots=True)
class Glossed:
    """The English gloss of a post and, per English word, the post's own words it came from."""

    text: str
    sources: dict[str, str]


def tokens_of(text: str) -> list[str]:
    """Lower-cased gloss tokens of a spaced-language text (also used to read the lexicon)."""
    return _TOKEN_RE.findall(text.lower().translate(_WIDE))


@cache
def _table(lang: str) -> dict[tuple[str, ...], str]:
    """Lexicon phrase (as tokens) -> English, for one language (split phrases: `_split_table`)."""
    table: dict[tuple[str, ...], str] = {}
    for foreign, english in _entries(lang):
        if "..." not in foreign:
            table[tuple(foreign) if lang in UNSPACED else tuple(tokens_of(foreign))] = english
    return table


@cache
def _split_table(lang: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """First word -> (closing word, English) of split phrases such as German "lädt ... nicht".

    A verb and its negation or particle often stand apart ("Kestrel Stream lädt in Berlin nicht");
    the closing word must come later in the same clause, at most `_SPLIT_GAP` words on.
    """
    table: dict[str, list[tuple[str, str]]] = {}
    for foreign, english in _entries(lang):
        if "..." in foreign:
            first, last = (part.strip().lower() for part in foreign.split("...", 1))
            table.setdefault(first, []).append((last, english))
    return {first: tuple(pairs) for first, pairs in table.items()}


def _entries(lang: str) -> list[tuple[str, str]]:
    out = []
    for line in LEXICONS[lang].splitlines():
        for entry in line.split("|"):
            if "=" in entry:
                foreign, english = (part.strip() for part in entry.split("=", 1))
                if foreign:
                    out.append((foreign, english))
    return out


def worth_glossing(lang: str, words: list[str]) -> bool:
    """Whether a post detected as `lang`, with these word tokens, should be read through its gloss.

    Japanese always is; a spaced language only when the post has more of the lexicon's own words
    (that are not English words too) than English words, so a misdetected English post stays English.
    """
    if lang not in LEXICONS:
        return False
    if lang in BY_SCRIPT:
        return True
    known, shared = _single_words(lang)
    english = foreign = 0
    for word in words:
        if word in known:
            foreign += 1
        elif word in _ENGLISH and word not in shared:
            english += 1
    return foreign > english


@cache
def _single_words(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """(the lexicon's own words, its words that are English words too), for `worth_glossing`."""
    words = frozenset(word.rstrip("'") for key in _table(lang) for word in key)
    return words - _ENGLISH, words & _ENGLISH


def gloss(text: str, lang: str) -> Glossed | None:
    """The English gloss of `text` written in `lang`; None for a language without a lexicon."""
    if lang not in LEXICONS:
        return None
    if lang in UNSPACED:
        pieces = _segment_unspaced(text.translate(_WIDE), lang)
    else:
        pieces = _segment_spaced(text, _table(lang), _split_table(lang))
    words: list[str] = []
    sources: dict[str, str] = {}
    for english, original in pieces:
        for word in english.split():
            words.append(word)
            if word.isalpha() and word != original.lower() and word not in sources:
                sources[word] = original
    # Multi-word glosses are remembered whole too ("is not working" -> "funktioniert nicht").
    for english, original in pieces:
        if " " in english and english not in sources:
            sources[english] = original
    return Glossed(" ".join(words), sources)


def _segment_spaced(
    text: str, table: dict[tuple[str, ...], str], splits: dict[str, tuple[tuple[str, str], ...]]
) -> list[tuple[str, str]]:
    """(English, original words) pieces of a text in a language written with spaces."""
    originals = _TOKEN_RE.findall(text.translate(_WIDE))
    tokens = [t.lower() for t in originals]
    pieces: list[tuple[str, str]] = []
    closed: set[int] = set()  # closing words of split phrases, already glossed with their first word
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if i in closed:
            i += 1
            continue
        split = _split_match(tokens, i, splits.get(tok, ())) if tok in splits else None
        if split is not None:
            j, english = split
            closed.add(j)
            pieces.append((english, f"{originals[i]} {originals[j]}"))
            i += 1
            continue
        if tok[0] in "¿¡":  # the inverted marks open a question or an exclamation
            if "¿" in tok:
                pieces.append(("?", tok))
            i += 1
            continue
        for size in range(min(_MAX_SPACED, n - i), 0, -1):
            found = table.get(tuple(tokens[i : i + size]))
            if found is not None:
                pieces.append((found, _join(originals[i : i + size])))
                i += size
                break
        else:
            pieces.append((tok.rstrip("'"), originals[i]))
            i += 1
    return pieces


def _split_match(tokens: list[str], i: int, pairs: tuple[tuple[str, str], ...]) -> tuple[int, str] | None:
    """(position of the closing word, English) of the split phrase starting at `i`, if any."""
    for j in range(i + 1, min(len(tokens), i + 1 + _SPLIT_GAP)):
        tok = tokens[j]
        if tok[0] in _CLAUSE_END:
            return None
        for last, english in pairs:
            if tok == last:
                return j, english
    return None


def _join(parts: list[str]) -> str:
    out = ""
    for part in parts:
        out += part if not out or out.endswith("'") else " " + part
    return out


def _segment_unspaced(text: str, lang: str) -> list[tuple[str, str]]:
    """(English, original characters) pieces of Japanese, Chinese or Korean text: the longest
    lexicon entry at each place (spaces, where Korean has them, only separate pieces)."""
    table = _table(lang)
    if lang == "ja":
        text = _JA_QUESTION_RE.sub(" ? ", text)
    pieces: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch.isascii():  # mentions, links, numbers, product names, punctuation
            run = _ASCII_RUN_RE.match(text, i)
            end = run.end() if run is not None else i + 1
            for tok in _TOKEN_RE.findall(text[i:end].lower()):
                pieces.append((tok, tok))
            i = end
            continue
        for size in range(min(_MAX_CJK, n - i), 0, -1):
            chunk = text[i : i + size]
            english = table.get(tuple(chunk))
            if english is not None:
                if english:
                    pieces.append((english, chunk))
                i += size
                break
        else:
            if not ch.isalnum():  # emoji and other symbols pass through
                pieces.append((ch, ch))
            i += 1
    return pieces


_QUOTED_RE = re.compile(r"'([^']+)'")
_REPEATED_RE = re.compile(r"('[^']+')(?:, \1)+(?![^,])")  # the same quoted words twice in a row


def quote_sources(line: str, glossed: Glossed) -> str:
    """An explanation line with each quoted English term replaced by the post's own words for it.

    "'is not working'" becomes "'funktioniert nicht'"; a term the gloss did not produce (a word
    the post already had, such as "app") stays as it is.
    """
    sources = glossed.sources

    def own_words(match: re.Match[str]) -> str:
        term = match.group(1)
        whole = sources.get(term)
        if whole is not None:
            return f"'{whole}'"
        parts: list[str] = []
        for word in term.split():
            own = sources.get(word, word)
            if not parts or parts[-1] != own:
                parts.append(own)
        return "'" + " ".join(parts) + "'"

    return _REPEATED_RE.sub(r"\1", _QUOTED_RE.sub(own_words, line))
