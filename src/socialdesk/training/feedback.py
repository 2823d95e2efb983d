"""Agent corrections (JSONL of {text, field, label}) fed back into training."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from socialdesk.triage.result import CATEGORIES, SENTIMENTS

FIELDS = {
    "sentiment": frozenset(SENTIMENTS),
    "category": frozenset(CATEGORIES),
    "needs_reply": frozenset({"true", "false"}),
}


class FeedbackError(ValueError):
    """A feedback line is malformed (the message names the line)."""


@dataclass(frozen=True, slots=True)
class FeedbackRow:
    text: str
    field: str
    label: str


def parse_feedback_line(line: str, lineno: int) -> FeedbackRow:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise FeedbackError(f"line {lineno}: not JSON ({exc.msg})") from exc
    if not isinstance(obj, dict):
        raise FeedbackError(f"line {lineno}: expected an object with text, field, label")
    text, fld, label = obj.get("text"), obj.get("field"), obj.get("label")
    if not isinstance(text, str) or not text.strip():
        raise FeedbackError(f"line {lineno}: 'text' must be a non-empty string")
    if fld not in FIELDS:
        raise FeedbackError(f"line {lineno}: 'field' must be one of {sorted(FIELDS)}, got {fld!r}")
    norm = str(label).lower() if isinstance(label, bool | str) else None
    if norm is None or norm not in FIELDS[fld]:
        raise FeedbackError(f"line {lineno}: label {label!r} is not valid for field {fld!r}")
    return FeedbackRow(text, fld, norm)


def read_feedback(path: Path) -> list[FeedbackRow]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if line.strip():
                rows.append(parse_feedback_line(line, lineno))
    return rows
