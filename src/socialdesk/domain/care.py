"""Care workflow records and rules that need no I/O: mentions, saved-reply variables, approval
rules, spreadsheet-safe CSV cells, stale replies."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from socialdesk.domain.errors import DomainError, ValidationFailed
from socialdesk.domain.people import User
from socialdesk.domain.user_patterns import UnsupportedPattern, compile_user_pattern

__all__ = [
    "ApprovalRule",
    "ApprovalStatus",
    "FollowUpStatus",
    "PublicReplyNeedsConfirmation",
    "StaleReply",
    "approval_reasons",
    "csv_cell",
    "mentioned_users",
    "render_template",
]


class ApprovalStatus(StrEnum):
    """Where a held reply stands: waiting for an approver, approved (it goes out), or returned to its
    author with a comment."""

    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned"


class FollowUpStatus(StrEnum):
    """A follow-up is open until it is kept (its owner replied in the conversation) or breached (it fell
    due first)."""

    OPEN = "open"
    KEPT = "kept"
    BREACHED = "breached"


_MENTION = re.compile(r"(?<![\w@])@([\w][\w.\-]*)")
_VARIABLE = re.compile(r"\{\{\s*([a-z_]+\.[a-z_]+)\s*\}\}")
_FORMULA_STARTS = frozenset(("=", "+", "-", "@", "\t", "\r"))
_SEPARATED_FORMULA = re.compile(r"(;[ \"]*)([=+\-@\t\r])")
_MONEY = re.compile(r"(?:[$€£¥]\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:usd|eur|gbp|dollars?|euros?|pounds?)\b)", re.I)


class StaleReply(DomainError):
    """Newer messages arrived in the conversation after the one the agent saw."""

    def __init__(self, newer: Sequence[Any]) -> None:
        super().__init__(
            f"{len(newer)} newer message(s) arrived since the one you saw; "
            "read them, then send again with confirm_stale to reply anyway"
        )
        self.newer = list(newer)


class PublicReplyNeedsConfirmation(ValidationFailed):
    """A public reply in a conversation whose newest customer message is private: the customer wrote
    privately (often with an account number), so going public needs the agent's explicit yes."""

    confirm = "confirm_public"

    def __init__(self, customer: str) -> None:
        who = f"@{customer.lstrip('@')}" if customer else "the customer"
        super().__init__(
            f"{who} wrote privately (the newest message is a private message): a public reply is seen by "
            "everyone; send it privately (visibility private), or confirm with confirm_public to "
            "reply in public"
        )


def mentioned_users(text: str, users: Iterable[User]) -> list[User]:
    """Colleagues @-mentioned in a note: by email local part, full name (``@adabyron``, ``@ada.byron``)
    or first name.

    A first name shared by several colleagues mentions nobody (ambiguous); use the email local part.
    """
    tokens = {m.rstrip(".-").casefold() for m in _MENTION.findall(text)}
    if not tokens:
        return []
    people = [u for u in users if u.is_active]
    found: dict[int, User] = {}
    for token in tokens:
        exact = [u for u in people if token in _handles(u)]
        if not exact:
            exact = [u for u in people if u.name.split()[:1] and u.name.split()[0].casefold() == token]
            if len(exact) > 1:
                continue
        for u in exact:
            found[u.id] = u
    return sorted(found.values(), key=lambda u: u.id)


def _handles(user: User) -> set[str]:
    """How colleagues may @-mention a user: email local part, or full name joined by nothing, . or _."""
    parts = user.name.casefold().split()
    return {user.email.split("@")[0].casefold(), *(sep.join(parts) for sep in ("", ".", "_"))}


def render_template(body: str, values: Mapping[str, str]) -> str:
    """Replace ``{{customer.name}}``-style variables; unknown variables stay as written."""
    return _VARIABLE.sub(lambda m: values.get(m[1], m[0]), body)


@dataclass(frozen=True, slots=True)
class ApprovalRule:
    """``term``: a case-insensitive word or phrase; ``regex``: a pattern; ``money``: any amount."""

    kind: str
    value: str = ""

    def matches(self, text: str) -> bool:
        if self.kind == "money":
            return _MONEY.search(text) is not None
        if self.kind == "regex":
            try:
                return compile_user_pattern(self.value).search(text)
            except UnsupportedPattern:
                return True  # a rule saved before RE2 that RE2 cannot run holds the reply (fails closed)
        return re.search(rf"(?<!\w){re.escape(self.value)}(?!\w)", text, re.IGNORECASE) is not None

    @property
    def label(self) -> str:
        return "an amount of money" if self.kind == "money" else f"{self.kind} {self.value!r}"


def approval_reasons(text: str, user: User, rules: Sequence[ApprovalRule]) -> list[str]:
    """Why a reply needs an approver before it is sent (empty: it does not)."""
    reasons = ["the agent is in training"] if user.in_training else []
    reasons += [f"matches {rule.label}" for rule in rules if rule.matches(text)]
    return reasons


def csv_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula, as OWASP advises: a cell starting with
    = + - @ tab or CR gets a leading apostrophe, and so does each part after a `;` that starts one
    (`a;=cmd` is written `a;'=cmd`): a spreadsheet in a locale whose list separator is `;` splits the
    cell there. Every CSV export (audit.csv, the analytics exports) writes its cells through this."""
    text = "" if value is None else str(value)
    text = _SEPARATED_FORMULA.sub(r"\1'\2", text)
    return "'" + text if text[:1] in _FORMULA_STARTS else text
