"""What triage says about one post."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

# `TriageResult.to_row()`: its fields in order, private data as (kind, start, end, text) tuples. Plain
# tuples of builtins are what crosses a process boundary cheaply (workers/triage_process.py).
TriageRow = tuple[bool, str, str, float, str, int, tuple[tuple[str, int, int, str], ...], tuple[str, ...]]

CATEGORIES: Final = ("complaint", "question", "outage_report", "praise", "feedback", "spam", "other")
SENTIMENTS: Final = ("negative", "neutral", "positive")
PRIVATE_DATA_KINDS: Final = ("phone", "email", "card_number", "account_number", "order_number", "address")


@dataclass(frozen=True, slots=True)
class PrivateDataMatch:
    """One piece of private data found in a post: `text == post[start:end]`."""

    kind: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class TriageResult:
    needs_reply: bool
    category: str
    sentiment: str
    sentiment_score: float  # in [-1, 1]: P(positive) - P(negative)
    language: str  # ISO 639-1
    urgency: int  # 0..100
    private_data: tuple[PrivateDataMatch, ...]
    explanation: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "needs_reply": self.needs_reply,
            "category": self.category,
            "sentiment": self.sentiment,
            "sentiment_score": self.sentiment_score,
            "language": self.language,
            "urgency": self.urgency,
            "private_data": [m.to_dict() for m in self.private_data],
            "explanation": list(self.explanation),
        }

    def to_row(self) -> TriageRow:
        """The compact form: builtins only (see `TriageRow`); `from_row` makes the result again."""
        found = tuple((m.kind, m.start, m.end, m.text) for m in self.private_data)
        return (
            self.needs_reply,
            self.category,
            self.sentiment,
            self.sentiment_score,
            self.language,
            self.urgency,
            found,
            self.explanation,
        )

    @classmethod
    def from_row(cls, row: TriageRow) -> TriageResult:
        needs_reply, category, sentiment, score, language, urgency, found, explanation = row
        private = tuple(PrivateDataMatch(*m) for m in found)
        return cls(needs_reply, category, sentiment, score, language, urgency, private, tuple(explanation))
