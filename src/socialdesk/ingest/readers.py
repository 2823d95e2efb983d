"""Readers for the input formats `socialdesk ingest` accepts: JSONL, twcs CSV and airline CSV.

Each reader yields `(line number, Post or PostError)`; a bad record never stops the others.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

from socialdesk.domain.post import Author, Location, Post
from socialdesk.ingest.validate import PostError, post_from_dict

Record = tuple[int, Post | PostError]
FORMATS = ("jsonl", "twcs", "airline")

TWCS_COLUMNS = (
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
)
AIRLINE_COLUMNS = ("tweet_id", "airline_sentiment", "name", "text", "tweet_created")


@dataclass
class ReadContext:
    """What a reader learned besides posts: e.g. which authors are the brand's own accounts."""

    brand_handles: set[tuple[str, str]] = field(default_factory=set)


def read_jsonl(lines: Iterable[str]) -> Iterator[Record]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, PostError(number, "", f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        yield number, post_from_dict(data, number)


def _check_header(reader: csv.DictReader[str], needed: tuple[str, ...], fmt: str) -> None:
    header = reader.fieldnames or []
    missing = [c for c in needed if c not in header]
    if missing:
        raise ValueError(
            f"{fmt} CSV is missing column(s) {', '.join(missing)}; header was {', '.join(header)}"
        )


def read_twcs(stream: TextIO, context: ReadContext) -> Iterator[Record]:
    """Customer Support on Twitter. `inbound=False` rows are brand accounts (recorded in `context`).

    The file is not in time order, so records are sorted by time before they are yielded: replies
    then always meet their parents.
    """
    reader = csv.DictReader(stream)
    _check_header(reader, TWCS_COLUMNS, "twcs")
    good: list[tuple[datetime, int, Post]] = []
    for number, row in enumerate(reader, start=2):
        try:
            created = datetime.strptime(row["created_at"], "%a %b %d %H:%M:%S %z %Y")
        except (TypeError, ValueError):
            yield number, PostError(number, "created_at", f"{row['created_at']!r} is not a twcs date")
            continue
        tweet_id, author = (row["tweet_id"] or "").strip(), (row["author_id"] or "").strip()
        if not tweet_id or not author:
            yield number, PostError(number, "tweet_id" if not tweet_id else "author_id", "is empty")
            continue
        inbound = (row["inbound"] or "").strip().lower()
        if inbound not in ("true", "false"):
            yield number, PostError(number, "inbound", f"expected True or False, got {row['inbound']!r}")
            continue
        if inbound == "false":
            context.brand_handles.add(("x", author))
        parent = (row["in_response_to_tweet_id"] or "").strip()
        post = Post(
            id=tweet_id,
            channel="x",
            text=row["text"] or "",
            created_at=created,
            author=Author(id=author, handle=author, name=author),
            in_reply_to=parent.split(".")[0] if parent else None,
            lang="en",
        )
        good.append((created, number, post))
    good.sort(key=lambda item: (item[0], item[1]))
    for _, number, post in good:
        yield number, post


def read_airline(stream: TextIO) -> Iterator[Record]:
    """Twitter US Airline Sentiment: standalone customer tweets to six airlines."""
    reader = csv.DictReader(stream)
    _check_header(reader, AIRLINE_COLUMNS, "airline")
    for number, row in enumerate(reader, start=2):
        try:
            created = datetime.strptime(row["tweet_created"], "%Y-%m-%d %H:%M:%S %z")
        except (TypeError, ValueError):
            yield number, PostError(number, "tweet_created", f"{row['tweet_created']!r} is not a date")
            continue
        name = (row.get("name") or "").strip()
        if not row["tweet_id"] or not name:
            yield number, PostError(number, "tweet_id" if not row["tweet_id"] else "name", "is empty")
            continue
        yield (
            number,
            Post(
                id=row["tweet_id"],
                channel="x",
                text=row["text"] or "",
                created_at=created,
                author=Author(id=name, handle=name, name=name),
                lang="en",
                location=_airline_location(row),
            ),
        )


def _airline_location(row: dict[str, str]) -> Location | None:
    coord = (row.get("tweet_coord") or "").strip("[] ")
    text = (row.get("tweet_location") or "").strip()
    lat = lon = None
    if coord:
        try:
            lat_s, lon_s = coord.split(",")
            lat, lon = float(lat_s), float(lon_s)
        except ValueError:
            lat = lon = None
    if not text and lat is None:
        return None
    return Location(text, lat, lon)


def read_records(stream: TextIO, fmt: str, context: ReadContext) -> Iterator[Record]:
    if fmt == "jsonl":
        return read_jsonl(stream)
    if fmt == "twcs":
        return read_twcs(stream, context)
    if fmt == "airline":
        return read_airline(stream)
    raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")


def guess_format(path: str) -> str:
    lowered = path.lower()
    if lowered.endswith((".jsonl", ".ndjson", ".json")) or path == "-":
        return "jsonl"
    if "twcs" in lowered:
        return "twcs"
    if "airline" in lowered or "tweets" in lowered:
        return "airline"
    raise ValueError(f"cannot tell the format of {path!r}: pass --format jsonl|twcs|airline")
