"""The import format of knowledge-base articles: JSONL, one article per line.

``{"id", "title", "body", "questions"?: [...], "tags"?: [...], "language"?, "links"?: [...],
"brand"?}``. Each line becomes an `ArticleRecord` or an `ImportError` saying which line and field
are wrong; a bad line never stops the good ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.knowledge import ArticleContent, validate_content, validate_key

FIELDS = frozenset({"id", "title", "body", "questions", "tags", "language", "links", "brand"})


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    line: int
    key: str
    content: ArticleContent


@dataclass(frozen=True, slots=True)
class RecordError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def parse_record(raw: bytes | str, line: int) -> ArticleRecord | RecordError:
    """One line of the import file (1-based `line`)."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        return RecordError(line, f"not UTF-8 (byte {exc.start})")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return RecordError(line, f"not JSON: {exc.msg} at column {exc.colno}")
    if not isinstance(obj, dict):
        return RecordError(line, "expected a JSON object")
    unknown = sorted(set(obj) - FIELDS)
    if unknown:
        return RecordError(line, f"unknown field {unknown[0]!r} (expected: {', '.join(sorted(FIELDS))})")
    for required in ("id", "title", "body"):
        if required not in obj:
            return RecordError(line, f"{required}: missing")
    key = obj["id"]
    if isinstance(key, int) and not isinstance(key, bool):
        key = str(key)
    try:
        return ArticleRecord(
            line,
            validate_key(key),
            validate_content(
                title=obj["title"],
                body=obj["body"],
                tags=obj.get("tags"),
                questions=obj.get("questions"),
                links=obj.get("links"),
                language=obj.get("language"),
                brand=obj.get("brand"),
            ),
        )
    except ValidationFailed as exc:
        return RecordError(line, str(exc))


def parse_lines(lines: Iterable[bytes | str]) -> Iterator[ArticleRecord | RecordError]:
    """Every non-blank line parsed; a later line with an id seen before is an error, not a silent win."""
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        item = parse_record(raw, number)
        if isinstance(item, ArticleRecord):
            first = seen.setdefault(item.key, number)
            if first != number:
                yield RecordError(number, f"id {item.key!r} already given on line {first}")
                continue
        yield item
