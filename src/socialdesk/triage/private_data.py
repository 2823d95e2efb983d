"""Find private data in a post (phones, emails, cards, account/order numbers, street addresses) and mask it.

Precision over recall: a card must pass Luhn and have a real issuer prefix and length; a bare
digit run counts as a phone only with phone-like grouping or a leading "+"; account and order
numbers need a keyword ("order #", "account no."). Dates, times, prices, flight numbers
("UA 123") and tweet ids are not reported, nor is anything inside a social handle: a Fediverse
handle (`@NimbusCares@mastodon.social`) is no e-mail address and a Bluesky handle
(`@555-123-4567.bsky.social`) holds no phone number.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from socialdesk.triage.result import PrivateDataMatch

_DIGIT_RE = re.compile(r"\d")
_WORD_RE = re.compile(r"[^\W\d_]+")
_LONG_NUMBER_RE = re.compile(r"\d(?:[\s().-]{0,2}\d){6}")  # 7+ digits: a phone, card or order may be here
_KEYWORDS = frozenset(
    [
        "order",
        "booking",
        "confirmation",
        "conf",
        "reservation",
        "tracking",
        "ticket",
        "case",
        "ref",
        "reference",
        "invoice",
        "claim",
        "pnr",
        "shipment",
        "parcel",
        "account",
        "acct",
        "customer",
        "member",
        "membership",
        "loyalty",
        "policy",
        "iban",
        "subscriber",
        "frequent",
        "rewards",
        "skymiles",
        "aadvantage",
    ]
)
_STREET_WORDS = frozenset(
    [
        "street",
        "st",
        "avenue",
        "ave",
        "road",
        "rd",
        "boulevard",
        "blvd",
        "lane",
        "ln",
        "drive",
        "dr",
        "court",
        "ct",
        "way",
        "place",
        "pl",
        "terrace",
        "close",
        "crescent",
        "highway",
        "hwy",
        "parkway",
        "pkwy",
        "square",
        "sq",
        "circle",
        "gardens",
        "grove",
        "row",
        "walk",
        "mews",
        "hill",
        "strasse",
        "straße",
        "calle",
        "rue",
    ]
)
_EMAIL_LOCAL_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-")
_ASCII_DIGITS = "0123456789"
_EMAIL_RE = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b")

# A handle starts with an "@" that follows no character an e-mail address may hold (that "@" would
# be the address's own). A domain's last label starts with a letter (as atproto's handles require),
# and a bare `@name` holds a letter or "_", so "call @555-123-4567" still shows a phone number.
_DOMAIN = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,61}(?<!-)"
_HANDLE_RE = re.compile(
    r"(?<![\w.%+-])@(?:"
    r"[A-Za-z0-9_]+(?:[.-][A-Za-z0-9_]+)*@"
    + _DOMAIN  # @NimbusCares@mastodon.social (Fediverse)
    + r"|"
    + _DOMAIN  # @nimbus.bsky.social (Bluesky, or a domain handle)
    + r"|(?=[A-Za-z0-9_]*[A-Za-z_])[A-Za-z0-9_]+"  # @NimbusCares (X, a local Mastodon account)
    r")(?![\w-])"
)

_CARD_RE = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")

_PHONE_RE = re.compile(
    r"""
    (?<![\w+/.:$£€-])
    (?:
        \+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]?\d{2,4}){1,4}   # +44 20 7946 0958
      | \(\d{3}\)\s?\d{3}[\s.-]?\d{4}                                          # (555) 123-4567
      | \d{3}[.-]\d{3}[.-]\d{4}                                                # 555-123-4567
      | \d{3}\s\d{3}\s\d{4}                                                    # 555 123 4567
      | 0\d{2,4}[\s-]\d{3,4}[\s-]?\d{3,4}                                      # 07700 900123, 020 7946 0958
      | 1[\s-]?8\d\d[\s-]\d{3}[\s-]\d{4}                                       # 1-800-555-0199
    )
    (?![\w/.:-]*\d)
    """,
    re.VERBOSE,
)

_ACCOUNT_RE = re.compile(
    r"""
    \b(?P<key>order|booking|confirmation|conf|reservation|tracking|ticket|case|ref|reference|invoice|
       claim|pnr|shipment|parcel|
       account|acct|customer|member(?:ship)?|loyalty|policy|iban|subscriber|frequent\ flyer|
       rewards|skymiles|aadvantage)
    (?:\s+(?:number|num|no\.?|nr\.?|id|code|\#))?
    \s*(?:is|was|:|\#|-)?\s*\#?\s*
    (?P<value>(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{3,30}[A-Za-z0-9])\b
    """,
    re.VERBOSE | re.IGNORECASE,
)
_ACCOUNT_KEYS = frozenset(
    [
        "account",
        "acct",
        "a/c",
        "customer",
        "member",
        "membership",
        "loyalty",
        "policy",
        "iban",
        "subscriber",
        "rewards",
        "skymiles",
        "aadvantage",
    ]
)
_AMAZON_ORDER_RE = re.compile(r"(?<![\d-])\d{3}-\d{7}-\d{7}(?![\d-])")

_STREET_SUFFIX = (
    r"(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|Ln\.?|Drive|Dr\.?|Court|Ct\.?|"
    r"Way|Place|Pl\.?|Terrace|Close|Crescent|Highway|Hwy\.?|Parkway|Pkwy\.?|Square|Sq\.?|Circle|"
    r"Gardens|Grove|Row|Walk|Mews|Hill|Strasse|Straße|Calle|Rue)"
)
_ADDRESS_RE = re.compile(
    r"\b\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][a-z]+\.?\s+){1,3}" + _STREET_SUFFIX + r"(?![A-Za-z])"
    r"(?:,?\s+(?:Apt|Apartment|Suite|Unit|Flat)\.?\s*#?\w+)?"
)
_CARD_PREFIXES = (
    (("34", "37"), (15,)),
    (("4",), (13, 16, 19)),
    (("51", "52", "53", "54", "55", "22", "23", "24", "25", "26", "27"), (16,)),
    (("6011", "65", "64"), (16, 19)),
    (("35",), (16,)),
    (("36", "38", "30"), (14,)),
)


def luhn_valid(digits: str) -> bool:
    """True if a digit string passes the Luhn checksum."""
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _is_card(candidate: str) -> bool:
    digits = candidate.replace(" ", "").replace("-", "")
    if not 13 <= len(digits) <= 19 or len(set(digits)) < 2:
        return False
    for prefixes, lengths in _CARD_PREFIXES:
        if digits.startswith(prefixes) and len(digits) in lengths:
            return luhn_valid(digits)
    return False


def handle_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` holds social handles (X, Fediverse, Bluesky), with their leading "@"."""
    if "@" not in text:
        return []
    return [m.span() for m in _HANDLE_RE.finditer(text)]


def outside_handles(text: str, found: Iterable[PrivateDataMatch]) -> list[PrivateDataMatch]:
    """The matches that overlap no handle in `text`: a handle is public, never private data."""
    handles = handle_spans(text)
    return [m for m in found if not any(m.start < end and start < m.end for start, end in handles)]


def may_have_email(text: str) -> bool:
    """An "@" right after a character an address may hold (a mention has none before its "@").

    False means `text` holds no email address. Whitespace is no such character, so this is true
    of a text exactly when it is true of one of its whitespace-separated chunks.
    """
    i = text.find("@", 1)
    while i != -1:
        if text[i - 1] in _EMAIL_LOCAL_CHARS:
            return True
        i = text.find("@", i + 1)
    return False


def has_digit(text: str) -> bool:
    """A decimal digit anywhere in `text` (none: no phone, card, order or address can be there)."""
    return _DIGIT_RE.search(text) is not None


def _may_have_long_number(text: str) -> bool:
    """`_LONG_NUMBER_RE` needs 7 digits: count them first (cheap for ASCII text)."""
    if text.isascii() and sum(map(text.count, _ASCII_DIGITS)) < 7:
        return False
    return _LONG_NUMBER_RE.search(text) is not None


def _numbered_matches(text: str, tokens: Iterable[str] | None) -> list[PrivateDataMatch]:
    """The private data that holds digits: cards, order, account and phone numbers, addresses."""
    found: list[PrivateDataMatch] = []
    long_number = _may_have_long_number(text)
    if long_number:
        for m in _CARD_RE.finditer(text):
            if _is_card(m.group(0)):
                found.append(PrivateDataMatch("card_number", m.start(), m.end(), m.group(0)))
        for m in _AMAZON_ORDER_RE.finditer(text):
            found.append(PrivateDataMatch("order_number", m.start(), m.end(), m.group(0)))
    words: Collection[str]
    if tokens is None:
        words = frozenset(_WORD_RE.findall(text.lower()))
    elif isinstance(tokens, Collection):
        words = tokens  # `isdisjoint` takes any iterable; a collection can be read twice
    else:
        words = frozenset(tokens)
    if not _KEYWORDS.isdisjoint(words):
        for m in _ACCOUNT_RE.finditer(text):
            key = m.group("key").lower()
            kind = "account_number" if key in _ACCOUNT_KEYS else "order_number"
            found.append(PrivateDataMatch(kind, m.start("value"), m.end("value"), m.group("value")))
    if long_number:
        for m in _PHONE_RE.finditer(text):
            count = sum(c.isdigit() for c in m.group(0))
            if 7 <= count <= 15:
                found.append(PrivateDataMatch("phone", m.start(), m.end(), m.group(0)))
    if not _STREET_WORDS.isdisjoint(words):
        for m in _ADDRESS_RE.finditer(text):
            found.append(PrivateDataMatch("address", m.start(), m.end(), m.group(0)))
    return found


def find_private_data(
    text: str,
    tokens: Iterable[str] | None = None,
    *,
    digits: bool | None = None,
    email_at: bool | None = None,
) -> tuple[PrivateDataMatch, ...]:
    """All private data in `text`, sorted by position, without overlaps (earlier, longer wins).

    `tokens` (lower-cased words of `text`, as `features.extract` gives them) speeds up the
    search; so do `digits` (`has_digit(text)`) and `email_at` (`"@" in text and
    may_have_email(text)`), which `features.extract` also gives, and which must be exact.
    """
    found: list[PrivateDataMatch] = []
    if email_at is None:
        email_at = "@" in text and may_have_email(text)
    if email_at:
        found.extend(
            PrivateDataMatch("email", m.start(), m.end(), m.group(0)) for m in _EMAIL_RE.finditer(text)
        )
    if digits if digits is not None else has_digit(text):
        found.extend(_numbered_matches(text, tokens))
    if found and "@" in text:
        found = outside_handles(text, found)
    if len(found) < 2:
        return tuple(found)
    return _without_overlaps(found)


def _without_overlaps(found: list[PrivateDataMatch]) -> tuple[PrivateDataMatch, ...]:
    """Sorted by position; of overlapping matches the earlier, then the longer, is kept."""
    found.sort(key=lambda p: (p.start, -(p.end - p.start)))
    kept: list[PrivateDataMatch] = []
    for match in found:
        if kept and match.start < kept[-1].end:
            continue
        kept.append(match)
    return tuple(kept)


def mask(text: str, spans: Iterable[PrivateDataMatch | tuple[int, int]], char: str = "•") -> str:
    """Replace each span's characters with `char`, keeping the length (so other offsets stay valid).

    Spaces and separators inside a span are masked too; out-of-range spans are clipped.
    """
    chars = list(text)
    n = len(chars)
    for span in spans:
        start, end = (span.start, span.end) if isinstance(span, PrivateDataMatch) else span
        for i in range(max(0, start), min(n, end)):
            chars[i] = char
    return "".join(chars)
