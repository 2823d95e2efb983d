"""Readers for the input formats `socialdesk ingest` accepts: JSONL, twcs CSV and airline CSV.

Each reader yields `(line number, Post or PostError)`; a bad record never stops the others. Files are
read as bytes and decoded line by line (`Utf8Lines`), so a byte that is not UTF-8 makes one bad line
("line N: not UTF-8 at column C") and the rest of the file is still read.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO

from socialdesk.domain.post import Author, Location, Post
from socialdesk.ingest.validate import MAX_RAW_DEPTH, PostError, post_from_dict, quote

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


class Utf8Lines:
    """The lines of a byte stream, each decoded as UTF-8 on its own. A line that is not UTF-8 is
    yielded with U+FFFD in place of the bad bytes and noted in `bad` (line number -> column of the
    first bad byte, counted in characters from 1), so a reader can refuse the record holding it."""

    def __init__(self, lines: Iterable[bytes]) -> None:
        self.lines = lines
        self.bad: dict[int, int] = {}

    def __iter__(self) -> Iterator[str]:
        for number, raw in enumerate(self.lines, start=1):
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                self.bad[number] = len(raw[: exc.start].decode("utf-8", "replace")) + 1
                yield raw.decode("utf-8", "replace")

    def first_bad(self, first: int, last: int) -> str | None:
        """Why the physical lines `first`..`last` (one record) cannot be read, or None."""
        for number in range(first, last + 1):
            if number in self.bad:
                where = f" of line {number}" if first != last else ""
                return f"not UTF-8 at column {self.bad[number]}{where}"
        return None


def read_jsonl(lines: Iterable[str | bytes]) -> Iterator[Record]:
    """One post per line. Lines given as bytes are decoded one by one: a line that is not UTF-8 is
    one bad record."""
    for number, given in enumerate(lines, start=1):
        if isinstance(given, bytes):
            try:
                line = given.decode("utf-8")
            except UnicodeDecodeError as exc:
                column = len(given[: exc.start].decode("utf-8", "replace")) + 1
                yield number, PostError(number, "", f"not UTF-8 at column {column}")
                continue
        else:
            line = given
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, PostError(number, "", f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:  # brackets nested thousands deep: Python's reader gives up
            yield number, PostError(number, "", f"nested too deeply to read (at most {MAX_RAW_DEPTH} levels)")
            continue
        yield number, post_from_dict(data, number)


def _check_header(reader: csv.DictReader[str], needed: tuple[str, ...], fmt: str) -> None:
    header = reader.fieldnames or []
    missing = [c for c in needed if c not in header]
    if missing:
        raise ValueError(
            f"{fmt} CSV is missing column(s) {', '.join(missing)}; header was {', '.join(header)}"
        )


def _undecodable(lines: Iterable[str], reader: csv.DictReader[str], seen: list[int]) -> str | None:
    """Why the row `reader` just gave cannot be read (a line of it is not UTF-8), or None. `seen`
    holds the last physical line of the previous row."""
    first, seen[0] = seen[0] + 1, reader.line_num
    return lines.first_bad(first, reader.line_num) if isinstance(lines, Utf8Lines) else None


def read_twcs(stream: Iterable[str], context: ReadContext) -> Iterator[Record]:
    """Customer Support on Twitter. `inbound=False` rows are brand accounts (recorded in `context`).

    The file is not in time order, so records are sorted by time before they are yielded: replies
    then always meet their parents.
    """
    reader = csv.DictReader(stream)
    _check_header(reader, TWCS_COLUMNS, "twcs")
    seen = [reader.line_num]
    good: list[tuple[datetime, int, Post]] = []
    for number, row in enumerate(reader, start=2):
        broken = _undecodable(stream, reader, seen)
        if broken:
            yield number, PostError(number, "", broken)
            continue
        try:
            created = datetime.strptime(row["created_at"], "%a %b %d %H:%M:%S %z %Y")
        except (TypeError, ValueError):
            yield number, PostError(number, "created_at", f"{quote(row['created_at'])} is not a twcs date")
            continue
        tweet_id, author = (row["tweet_id"] or "").strip(), (row["author_id"] or "").strip()
        if not tweet_id or not author:
            yield number, PostError(number, "tweet_id" if not tweet_id else "author_id", "is empty")
            continue
        inbound = (row["inbound"] or "").strip().lower()
        if inbound not in ("true", "false"):
            yield number, PostError(number, "inbound", f"expected True or False, got {quote(row['inbound'])}")
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


def read_airline(stream: Iterable[str]) -> Iterator[Record]:
    """Twitter US Airline Sentiment: standalone customer tweets to six airlines."""
    reader = csv.DictReader(stream)
    _check_header(reader, AIRLINE_COLUMNS, "airline")
    seen = [reader.line_num]
    for number, row in enumerate(reader, start=2):
        broken = _undecodable(stream, reader, seen)
        if broken:
            yield number, PostError(number, "", broken)
            continue
        try:
            created = datetime.strptime(row["tweet_created"], "%Y-%m-%d %H:%M:%S %z")
        except (TypeError, ValueError):
            yield number, PostError(number, "tweet_created", f"{quote(row['tweet_created'])} is not a date")
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


def read_records(stream: BinaryIO, fmt: str, context: ReadContext) -> Iterator[Record]:
    """The records of a file opened in binary mode (each line is decoded on its own)."""
    if fmt == "jsonl":
        return read_jsonl(stream)
    if fmt == "twcs":
        return read_twcs(Utf8Lines(stream), context)
    if fmt == "airline":
        return read_airline(Utf8Lines(stream))
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
