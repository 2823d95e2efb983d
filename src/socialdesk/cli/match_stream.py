"""What `socialdesk match` does between its options and its exit code: read the monitors file, turn each
JSON line into a `MatchablePost`, write one result line per post.

Imported by the command when it runs (not by `socialdesk --help`). The per-post path is kept short, as
posts stream at the speed of the matcher: a post whose fields all have the expected types is built
without the field-by-field checks (`_post`), anything else goes through `matchable`, which says what is
wrong; results are written a batch at a time, each line built from pre-encoded monitor names.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring
from pathlib import Path
from typing import IO, Any

from socialdesk.listening import CompiledMatcher, MatchablePost
from socialdesk.listening.post import make_post

BATCH = 1000


class MonitorFileError(ValueError):
    """The monitors file is not a list of {name, query}."""


def _yaml(text: str) -> Any:
    """YAML through libyaml's C parser when PyYAML was built with it (several times faster)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 (a safe loader, the C one where present)
    except yaml.YAMLError as exc:
        raise MonitorFileError(f"not valid YAML or JSON ({str(exc).splitlines()[0]})") from exc


def parse_monitor_file(text: str, suffix: str = "") -> Any:
    """The data of a monitors file: JSON by the JSON parser (a ``.json`` file, or text that starts like
    JSON and is JSON), anything else as YAML."""
    if suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise MonitorFileError(
                f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
            ) from exc
    if text.lstrip()[:1] in ("[", "{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            pass  # YAML's flow style starts the same way: `[{name: a, query: b}]`
    return _yaml(text)


def load_monitors(text: str, suffix: str = "") -> list[tuple[str, str]]:
    """(name, query) pairs from YAML or JSON text: a list of mappings with ``name`` and ``query``."""
    data = parse_monitor_file(text, suffix)
    if not isinstance(data, list):
        raise MonitorFileError("expected a list of monitors, each with a name and a query")
    monitors: list[tuple[str, str]] = []
    seen: set[str] = set()
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise MonitorFileError(f"monitor {number} is not a mapping with a name and a query")
        name, query = item.get("name"), item.get("query")
        if not isinstance(name, str) or not name:
            raise MonitorFileError(f"monitor {number} needs a 'name' (a non-empty string)")
        if not isinstance(query, str):
            raise MonitorFileError(f"monitor {name!r} needs a 'query' (a string)")
        if name in seen:
            raise MonitorFileError(f"monitor name {name!r} is used twice")
        seen.add(name)
        monitors.append((name, query))
    return monitors


def read_monitors(path: Path) -> list[tuple[str, str]]:
    return load_monitors(path.read_text(encoding="utf-8"), path.suffix)


_KIND_NAMES = {str: "a string", int: "an integer", bool: "true or false"}


def _field(data: dict[str, Any], name: str, kind: type, default: Any, line: int) -> Any:
    """``data[name]`` when it has the expected type (None and a missing key give ``default``)."""
    value = data.get(name)
    if value is None:
        return default
    if isinstance(value, bool) != (kind is bool) or not isinstance(value, kind):
        raise ValueError(f"line {line}: {name}: expected {_KIND_NAMES[kind]}, got {json.dumps(value)[:40]}")
    return value


def matchable(data: Any, line: int) -> tuple[Any, MatchablePost] | str:
    """The post's id (as written) and what monitors see of it, or what is wrong with the record.

    Only ``text`` is required. A normalized post (docs/post-format.md) is read as ingest reads it, and
    so is a bare record: ``{"id": 7, "text": "..."}``, ``author`` as an object (``handle``,
    ``followers``, ``verified``) or as a handle, or the flat ``author_handle``/``followers``/``verified``;
    ``lang``, ``channel``, ``is_repost`` (or ``repost_of``), ``is_reply`` (or ``in_reply_to``). Keys it
    does not use are ignored; a key it uses with a value of the wrong type is reported.
    """
    if not isinstance(data, dict):
        return f"line {line}: expected a JSON object, got {type(data).__name__}"
    try:
        text = data.get("text")
        if not isinstance(text, str):
            return f"line {line}: text: is required (a string)"
        author = data.get("author")
        facts = data
        if isinstance(author, dict):
            facts = {**data, **author}
            handle = _field(author, "handle", str, "", line)
        elif isinstance(author, str):
            handle = author
        elif author is None:
            handle = _field(data, "author_handle", str, "", line)
        else:
            return f"line {line}: author: expected an object or a handle"
        followers = _field(facts, "followers", int, None, line)
        verified = _field(facts, "verified", bool, False, line)
        repost = _field(data, "is_repost", bool, None, line)
        reply = _field(data, "is_reply", bool, None, line)
        return data.get("id"), MatchablePost(
            text=text,
            author_handle=handle,
            lang=_field(data, "lang", str, None, line),
            channel=_field(data, "channel", str, "", line),
            followers=followers,
            verified=verified,
            is_repost=bool(data.get("repost_of")) if repost is None else repost,
            is_reply=data.get("in_reply_to") not in (None, "") if reply is None else reply,
        )
    except ValueError as exc:
        return str(exc)


def _post(data: Any, line: int) -> tuple[Any, MatchablePost] | str:
    """`matchable`, faster for a record whose fields all have the expected types (the usual case)."""
    if type(data) is not dict:
        return matchable(data, line)
    get = data.get
    text, author = get("text"), get("author")
    if author is None:
        handle, followers, verified = get("author_handle"), get("followers"), get("verified")
    elif type(author) is dict:
        handle = author.get("handle")
        followers = author["followers"] if "followers" in author else get("followers")
        verified = author["verified"] if "verified" in author else get("verified")
    elif type(author) is str:
        handle, followers, verified = author, get("followers"), get("verified")
    else:
        return matchable(data, line)
    lang, channel, repost, reply = get("lang"), get("channel"), get("is_repost"), get("is_reply")
    if (
        type(text) is not str
        or (handle is not None and type(handle) is not str)
        or (followers is not None and type(followers) is not int)
        or (verified is not None and type(verified) is not bool)
        or (lang is not None and type(lang) is not str)
        or (channel is not None and type(channel) is not str)
        or (repost is not None and type(repost) is not bool)
        or (reply is not None and type(reply) is not bool)
    ):
        return matchable(data, line)  # it names what is wrong, or reads the unusual types as before
    return get("id"), make_post(
        text,
        handle or "",
        lang,
        channel or "",
        followers,
        verified or False,
        bool(get("repost_of")) if repost is None else repost,
        get("in_reply_to") not in (None, "") if reply is None else reply,
    )


# The C scanner json.loads uses (typeshed does not declare the attribute).
_scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _decode(line: str) -> Any:
    """``json.loads(line)``, without its layers for the usual line: one JSON value and a newline."""
    try:
        data, end = _scan(line, 0)
    except (StopIteration, ValueError):
        return json.loads(line)  # blank, leading space or not JSON: as json.loads says it
    if end == len(line) or (end == len(line) - 1 and line[end] == "\n"):
        return data
    return json.loads(line)


class _Writer:
    """Result lines, as ``json.dumps({"id": ..., "monitors": [...]}, ensure_ascii=False)`` writes them."""

    def __init__(self, matcher: CompiledMatcher[str], out: IO[str]) -> None:
        self.matcher = matcher
        self.out = out
        self.names = {name: encode_basestring(name) for name in matcher.monitor_ids}

    def flush(self, ids: list[Any], posts: list[MatchablePost]) -> None:
        names = self.names
        lines: list[str] = []
        append = lines.append
        for post_id, found in zip(ids, self.matcher.match_many(posts), strict=True):
            kind = type(post_id)
            if kind is int:
                text = str(post_id)
            elif kind is str:
                text = encode_basestring(post_id)
            else:
                text = json.dumps(post_id, ensure_ascii=False)
            if found:
                append(f'{{"id": {text}, "monitors": [{", ".join([names[name] for name in found])}]}}\n')
            else:
                append(f'{{"id": {text}, "monitors": []}}\n')
        self.out.write("".join(lines))
        ids.clear()
        posts.clear()


def run_match(matcher: CompiledMatcher[str], source: IO[str], out: IO[str], err: IO[str]) -> int:
    """Write one line per good post; report bad lines on ``err`` and go on. Returns the exit code.

    Blank lines are skipped; a line that is not JSON or not a post is reported with its number.
    """
    failures = 0
    writer = _Writer(matcher, out)
    ids: list[Any] = []
    posts: list[MatchablePost] = []
    for number, line in enumerate(source, start=1):
        try:
            data = _decode(line)
        except json.JSONDecodeError as exc:
            if line.strip():
                err.write(f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})\n")
                failures += 1
            continue
        record = _post(data, number)
        if isinstance(record, str):
            err.write(record + "\n")
            failures += 1
            continue
        ids.append(record[0])
        posts.append(record[1])
        if len(posts) >= BATCH:
            writer.flush(ids, posts)
    writer.flush(ids, posts)
    if failures:
        err.write(f"error: {failures} line(s) skipped because they are not valid posts\n")
    return 1 if failures else 0
