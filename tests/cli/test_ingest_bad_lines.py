"""`socialdesk ingest` over a 30,000-line file with bad lines of every kind spread through it: every
good line is stored, every bad line is reported by its number and why (quoting at most 200
characters of a value), and the exit status is 1 (docs/cli.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from socialdesk.cli.main import app

LINES = 30_000
EVERY = 97  # a bad line every 97 lines, the kinds in turn


def _good(i: int) -> dict[str, object]:
    post: dict[str, object] = {
        "id": f"p{i}",
        "channel": "x",
        "text": f"@AcmeCares my router {i} keeps dropping",
        "created_at": f"2026-01-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z",
        "author": {"id": f"u{i % 5000}", "handle": f"cust{i % 5000}", "followers": i},
        "raw": {"source": {"nested": [i, {"deep": True}]}},
    }
    if i % 3 == 0 and i > 3:
        post["in_reply_to"] = f"p{i - 3}"
    return post


def _nested(depth: int) -> object:
    raw: object = 1
    for _ in range(depth):
        raw = [raw]
    return raw


def _bad_kinds(i: int) -> list[tuple[bytes, str]]:
    """Each kind of bad line (its bytes) with what the report must say about it."""
    good = _good(i)

    def changed(**change: object) -> bytes:
        return json.dumps({**good, **change}).encode()

    author = dict(good["author"])  # type: ignore[call-overload]
    return [
        (b"{not json", "not valid JSON"),
        (json.dumps(good).encode().replace(b"router", b"rou\xffter"), "not UTF-8 at column"),
        (changed(author={**author, "followers": 2**63}), "author.followers: 9223372036854775808 is larger"),
        (
            changed(author={**author, "followers": 10**30}),
            "author.followers: 1000000000000000000000000000000 is",
        ),
        (
            changed(created_at="0001-01-01T00:00:00Z"),
            "created_at: '0001-01-01T00:00:00Z' is outside the years",
        ),
        (changed(created_at="9999-12-31T23:00:00-05:00"), "is outside the years 1970-9999"),
        (changed(raw=_nested(500)), "raw: nested deeper than 100 levels"),
        (b'{"raw": ' + b"[" * 5000 + b"]" * 5000 + b"}", "nested too deeply to read"),
        (changed(text="wifi \x00 down"), "text: has a NUL character"),
        (changed(text="wifi \ud800 down"), "text: has a lone surrogate"),
        (
            json.dumps({**good, "location": {"lat": float("nan"), "lon": 0}}).encode(),
            "location.lat: nan is not",
        ),
        (changed(author={"id": "u1"}), "author.handle: is required"),
        (b"[1, 2]", "expected a JSON object, got list"),
        (changed(text="x" * 200_000), "is too long"),
        (changed(created_at="2" * 5000), "is not an ISO 8601 date-time"),
        (changed(created_at="2026-01-05T09:00:00"), "has no time zone"),
    ]


def test_every_good_line_stored_and_every_bad_one_reported(sqlite_url: str, tmp_path: Path) -> None:
    lines: list[bytes] = []
    good_ids: set[str] = set()
    expected: dict[int, str] = {}
    kinds = 0
    for number in range(1, LINES + 1):
        if number % EVERY == 0:
            choices = _bad_kinds(number)
            line, why = choices[kinds % len(choices)]
            kinds += 1
            expected[number] = why
        elif number % 1000 == 500:
            line = b"   "  # blank lines are skipped, neither good nor bad
        else:
            line = json.dumps(_good(number)).encode()
            good_ids.add(f"p{number}")
        lines.append(line)
    path = tmp_path / "big.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")

    result = CliRunner().invoke(app, ["ingest", str(path), "--db", sqlite_url, "-w", "acme"])

    assert result.exit_code == 1, result.output  # some lines were bad (docs/cli.md)
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["added"], summary["bad"]) == (len(good_ids), len(expected))
    assert summary["read"] == len(good_ids) + len(expected)
    reported = {}
    for line in result.stderr.splitlines():
        found = re.match(rf"{re.escape(str(path))}: line (\d+): (.*)$", line)
        if found:
            reported[int(found[1])] = found[2]
            assert len(line) < len(str(path)) + 300, line  # values quoted 200 characters at most
    assert sorted(reported) == sorted(expected)
    for number, why in expected.items():
        assert why in reported[number], (number, reported[number])
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:
        stored = {r[0] for r in conn.execute(text("SELECT external_id FROM messages"))}
    engine.dispose()
    assert stored == good_ids
