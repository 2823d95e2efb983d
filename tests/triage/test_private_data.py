"""Private-data detectors on a table of true and false cases."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.triage import PrivateDataMatch, find_private_data, luhn_valid, mask
from socialdesk.triage.features import extract
from socialdesk.triage.private_data import has_digit, may_have_email

FOUND = [
    ("call me on (555) 123-4567 please", "phone", "(555) 123-4567"),
    ("my number is 555-123-4567", "phone", "555-123-4567"),
    ("ring 555.123.4567 after 6", "phone", "555.123.4567"),
    ("UK: +44 20 7946 0958", "phone", "+44 20 7946 0958"),
    ("text +1 415 555 2671 now", "phone", "+1 415 555 2671"),
    ("mobile 07700 900123", "phone", "07700 900123"),
    ("call 1-800-555-0199 they said", "phone", "1-800-555-0199"),
    ("france +33 1 23 45 67 89", "phone", "+33 1 23 45 67 89"),
    ("email me at jane.doe+care@example.co.uk thanks", "email", "jane.doe+care@example.co.uk"),
    ("bob@example.com", "email", "bob@example.com"),
    ("card 4111 1111 1111 1111 was charged", "card_number", "4111 1111 1111 1111"),
    ("visa 4012888888881881", "card_number", "4012888888881881"),
    ("amex 3782-822463-10005", "card_number", "3782-822463-10005"),
    ("mc 5555-5555-5555-4444", "card_number", "5555-5555-5555-4444"),
    ("where is order #123-4567890", "order_number", "123-4567890"),
    ("order 112-3456789-1234567 late", "order_number", "112-3456789-1234567"),
    ("booking ref: ABC12345", "order_number", "ABC12345"),
    ("tracking number 1Z999AA10123456784", "order_number", "1Z999AA10123456784"),
    ("my account number is 99887766", "account_number", "99887766"),
    ("acct #55-1234-99 locked", "account_number", "55-1234-99"),
    ("deliver to 221B Baker Street please", "address", "221B Baker Street"),
    ("I live at 1600 Pennsylvania Avenue", "address", "1600 Pennsylvania Avenue"),
    ("sent to 42 Wallaby Way, Apt 3", "address", "42 Wallaby Way, Apt 3"),
]

NOT_FOUND = [
    "flight on 2017-10-31 was late",
    "landed 10/31/2017 at 10:30",
    "it costs $1,234.56 now",
    "price went from £19.99 to £29.99",
    "flying UA 123 tomorrow, then DL 1234",
    "see tweet 570306133677760513",
    "tweet id 1234567890123456789 is the one",
    "card 4111 1111 1111 1112 (bad checksum)",
    "random 1234567890123456 digits",
    "order arrived, thanks",
    "I waited 3 hours at gate 12",
    "version 11.1.2 broke my phone",
    "5 Star service!",
    "my @handle is @bob_123",
    "call between 9-5 please",
]


@pytest.mark.parametrize(("text", "kind", "value"), FOUND)
def test_detects(text: str, kind: str, value: str) -> None:
    matches = find_private_data(text)
    assert (kind, value) in [(m.kind, m.text) for m in matches], matches
    for m in matches:
        assert text[m.start : m.end] == m.text


@pytest.mark.parametrize("text", NOT_FOUND)
def test_ignores(text: str) -> None:
    assert find_private_data(text) == ()


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("4111111111111111", True),
        ("4012888888881881", True),
        ("378282246310005", True),
        ("79927398713", True),
        ("4111111111111112", False),
        ("79927398710", False),
        ("", False),
        ("12a4", False),
    ],
)
def test_luhn(digits: str, valid: bool) -> None:
    assert luhn_valid(digits) is valid


def test_mask_keeps_length_and_offsets() -> None:
    text = "mail bob@example.com or call 555-123-4567"
    spans = find_private_data(text)
    masked = mask(text, spans)
    assert len(masked) == len(text)
    assert "bob@" not in masked
    assert "4567" not in masked
    assert masked.startswith("mail ")
    assert " or call " in masked
    assert mask("abcdef", [(1, 3), (10, 20)], char="*") == "a**def"
    assert mask("abc", [PrivateDataMatch("email", 0, 1, "a")]) == "•bc"


def test_spans_do_not_overlap() -> None:
    text = "card 4111 1111 1111 1111, phone (555) 123-4567, order #123-4567890"
    matches = find_private_data(text)
    for a, b in itertools.pairwise(matches):
        assert a.end <= b.start


_PIECES = [*"ab10@.-+ \tZ٣é", "x@y.co", "@bob", "order", "Street"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join) | st.text(max_size=60))
def test_extract_facts_are_exact_hints(text: str) -> None:
    ex = extract(text)
    assert ex.has_digit == has_digit(text)
    assert ex.email_at == ("@" in text and may_have_email(text))
    hinted = find_private_data(text, ex.tokens, digits=ex.has_digit, email_at=ex.email_at)
    assert hinted == find_private_data(text, ex.tokens) == find_private_data(text, iter(ex.tokens))


# Handles are public: a Fediverse handle is no e-mail address, a Bluesky handle holds no phone.
HANDLE_TEXTS = [
    "Follow @NimbusCares@mastodon.social for updates",
    "@NimbusCares@mastodon.social my train is late again",
    "(cc @jane.doe@fosstodon.org)",
    "ask @nimbus.bsky.social about it",
    "@555-123-4567.bsky.social is my handle",
    "@4111-1111-1111-1111.example.com hi",
    "me: @order-12345678.bsky.social",
]


@pytest.mark.parametrize("text", HANDLE_TEXTS)
def test_handles_are_not_private_data(text: str) -> None:
    assert find_private_data(text) == ()
    assert mask(text, find_private_data(text)) == text


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("mail @NimbusCares@mastodon.social or jane@example.com", "email", "jane@example.com"),
        ("jane@example.com, not @jane@example.social", "email", "jane@example.com"),
        ("@nimbus.bsky.social call me 555-123-4567", "phone", "555-123-4567"),
        ("call me @555-123-4567", "phone", "555-123-4567"),  # "@" as "at": no handle
        ("@bob: jane.doe+x@example.co.uk", "email", "jane.doe+x@example.co.uk"),
    ],
)
def test_private_data_next_to_handles_is_still_found(text: str, kind: str, value: str) -> None:
    assert [(m.kind, m.text) for m in find_private_data(text)] == [(kind, value)]


_LABEL = st.from_regex(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,10}[A-Za-z0-9])?", fullmatch=True)
_TLD = st.from_regex(r"[A-Za-z]{2,8}", fullmatch=True)
_DOMAINS = st.builds(
    lambda labels, tld: ".".join([*labels, tld]), st.lists(_LABEL, min_size=1, max_size=3), _TLD
)
_USER = st.from_regex(r"[A-Za-z0-9_]{1,20}", fullmatch=True)
_FEDIVERSE = st.builds(lambda user, domain: f"@{user}@{domain}", _USER, _DOMAINS)
_BLUESKY = st.builds(lambda domain: f"@{domain}", _DOMAINS)
_EMAILS = st.builds(
    lambda user, domain: f"{user}@{domain}",
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,15}", fullmatch=True),
    _DOMAINS,
)
_AROUND = st.sampled_from(["", " ", "hi ", "(", "cc: ", "\n", "thanks "])
_AFTER = st.sampled_from(["", " ", ")", ", ", ". ", "! please", " thanks"])


@settings(max_examples=300, deadline=None)
@given(_AROUND, st.one_of(_FEDIVERSE, _BLUESKY), _AFTER)
def test_no_handle_is_ever_flagged_or_masked(before: str, handle: str, after: str) -> None:
    text = f"{before}{handle}{after}"
    assert find_private_data(text) == ()
    ex = extract(text)
    assert find_private_data(text, ex.tokens, digits=ex.has_digit, email_at=ex.email_at) == ()


@settings(max_examples=300, deadline=None)
@given(st.one_of(_FEDIVERSE, _BLUESKY), _EMAILS, st.booleans())
def test_an_email_beside_a_handle_is_still_found_and_masked(
    handle: str, email: str, email_first: bool
) -> None:
    text = f"mail {email} or write to {handle}" if email_first else f"write to {handle} or mail {email}"
    found = find_private_data(text)
    assert [(m.kind, m.text) for m in found] == [("email", email)]
    masked = mask(text, found)
    assert handle in masked
    assert masked[found[0].start : found[0].end] == "•" * len(email)
