"""What the conversation page shows of a message's triage: labels, warning, masked text, corrections.

Triage is stored on the message as a plain dict (see `TriageResult.to_dict`); this module turns it
into what a template needs, so templates never poke at the dict or build sentences themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from socialdesk.domain.conversation import subject_of
from socialdesk.domain.post import Direction, Message
from socialdesk.triage import find_private_data, mask
from socialdesk.triage.private_data import handle_spans

# How the warning names each kind of private data ("This post shows a phone number and an email…").
PRIVATE_KIND_NAMES = {
    "phone": "a phone number",
    "email": "an email address",
    "card_number": "a card number",
    "account_number": "an account number",
    "order_number": "an order number",
    "address": "a street address",
}


@dataclass(frozen=True)
class TriageView:
    message_id: int
    needs_reply: bool
    category: str
    sentiment: str
    urgency: int
    language: str
    explanation: tuple[str, ...]
    corrected: frozenset[str]
    private_kinds: tuple[str, ...]  # what the warning names, each once, in the order found
    masked_text: str  # the message text with the private data replaced by dots

    @property
    def has_private_data(self) -> bool:
        return bool(self.private_kinds)

    @property
    def private_warning(self) -> str:
        return private_warning(self.private_kinds)

    def current(self, field: str) -> str:
        """The label a correction form marks as current ("true"/"false" for needs_reply)."""
        if field == "needs_reply":
            return "true" if self.needs_reply else "false"
        return str(getattr(self, field))


def private_warning(kinds: Sequence[str]) -> str:
    return f"This post shows {join_words(kinds)}."


def kind_names(kinds: Iterable[str]) -> tuple[str, ...]:
    """What the warning calls each kind of private data, each once, in the order found."""
    names: list[str] = []
    for kind in kinds:
        name = PRIVATE_KIND_NAMES.get(kind, "private data")
        if name not in names:
            names.append(name)
    return tuple(names)


def join_words(words: Sequence[str]) -> str:
    """`a, b and c`."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _stored_spans(text: str, item: dict[str, Any]) -> list[tuple[int, int]]:
    """Where one stored match is. Stored offsets are trusted only when they still point at the
    stored match; otherwise every occurrence of the matched text is taken, so a shifted offset
    never shows it."""
    start, end, value = item.get("start"), item.get("end"), str(item.get("text") or "")
    if isinstance(start, int) and isinstance(end, int) and value and text[start:end] == value:
        return [(start, end)]
    spans: list[tuple[int, int]] = []
    at = text.find(value) if value else -1
    while at >= 0:
        spans.append((at, at + len(value)))
        at = text.find(value, at + len(value))
    return spans


def _outside_handles(spans: list[tuple[int, int]], handles: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(s, e) for s, e in spans if not any(s < h_end and h_start < e for h_start, h_end in handles)]


def _spans(text: str, found: Iterable[dict[str, Any]]) -> list[tuple[int, int]]:
    """Where to mask: every stored match's spans, except inside a social handle (triage before
    handles were known flagged `@name@server.example` as an e-mail address)."""
    handles = handle_spans(text)
    return [span for item in found for span in _outside_handles(_stored_spans(text, item), handles)]


def _private(message: Message) -> list[dict[str, Any]]:
    """The stored private data, less what lies only inside social handles."""
    found = [p for p in (message.triage or {}).get("private_data") or [] if isinstance(p, dict)]
    handles = handle_spans(message.text)
    if not handles:
        return found
    kept = []
    for item in found:
        spans = _stored_spans(message.text, item)
        if not spans or _outside_handles(spans, handles):
            kept.append(item)
    return kept


def masked_text(message: Message) -> str:
    """The message text with any private data that triage found replaced by dots."""
    private = _private(message)
    return mask(message.text, _spans(message.text, private)) if private else message.text


def triage_view(message: Message) -> TriageView | None:
    """The view of an inbound message's triage; None for replies and untriaged messages."""
    triage = message.triage
    if message.direction is not Direction.INBOUND or not triage:
        return None
    kinds = kind_names(str(item.get("kind")) for item in _private(message))
    return TriageView(
        message_id=message.id,
        needs_reply=bool(triage.get("needs_reply")),
        category=str(triage.get("category") or "other"),
        sentiment=str(triage.get("sentiment") or "neutral"),
        urgency=int(triage.get("urgency") or 0),
        language=str(triage.get("language") or message.lang or ""),
        explanation=tuple(str(line) for line in triage.get("explanation") or ()),
        corrected=frozenset(str(f) for f in triage.get("corrected") or ()),
        private_kinds=kinds,
        masked_text=masked_text(message),
    )


def triage_views(messages: Iterable[Message]) -> dict[int, TriageView]:
    return {m.id: view for m in messages if (view := triage_view(m)) is not None}


@dataclass(frozen=True)
class RowText:
    """An inbox row's text: its first line with private data masked, and what was masked."""

    text: str
    private_kinds: tuple[str, ...]

    @property
    def private_warning(self) -> str:
        return private_warning(self.private_kinds)


def row_text(text: str) -> RowText:
    """Rows carry no triage, so the (short) text is scanned here: the inbox never shows private data."""
    found = find_private_data(text)
    return RowText(subject_of(mask(text, found)), kind_names(m.kind for m in found))
