"""`socialdesk match`'s fast paths give what the plain ones gave: posts, result lines, monitor files."""

from __future__ import annotations

import dataclasses
import gc
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from socialdesk.bench.match import generate_monitors, generate_posts
from socialdesk.cli import match_stream
from socialdesk.cli.main import app
from socialdesk.cli.match_stream import MonitorFileError, load_monitors, matchable
from socialdesk.listening import MatchablePost, compile_monitors, evaluate, validate_query
from socialdesk.listening.post import make_post

runner = CliRunner()

_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["handle", "followers"]), st.integers() | st.text(), max_size=2),
)
_KEYS = (
    "id", "text", "author", "author_handle", "followers", "verified", "lang", "channel", "is_repost",
    "repost_of", "is_reply", "in_reply_to",
)  # fmt: skip
_AUTHORS = st.one_of(
    st.none(),
    st.text(max_size=6),
    st.integers(),
    st.dictionaries(st.sampled_from(["handle", "followers", "verified", "id"]), _VALUES, max_size=4),
)


@settings(max_examples=400, deadline=None)
@given(
    record=st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=10),
    text=st.none() | st.text(max_size=20),
    author=_AUTHORS,
)
def test_fast_post_reads_every_record_as_matchable_does(
    record: dict[str, Any], text: str | None, author: Any
) -> None:
    if text is not None:
        record["text"] = text
    if author is not None:
        record["author"] = author
    assert match_stream._post(record, 3) == matchable(record, 3)


@pytest.mark.parametrize(
    "record",
    [
        {"text": "a", "author": {"handle": "x", "followers": None}, "followers": 5},  # the author's None wins
        {"text": "a", "author": {"handle": "x"}, "followers": 5, "verified": True},
        {"text": "a", "author": {"handle": None}, "author_handle": "y"},
        {"text": "a", "author": "h", "followers": "many"},
        {"text": "a", "author_handle": 7},
        {"text": "a", "in_reply_to": "", "repost_of": 0},
        {"text": "a", "in_reply_to": [], "repost_of": "8", "is_repost": False},
        {"text": "a", "followers": True},
        {"text": "a", "verified": 1},
        [1, 2],
        "text",
    ],
)
def test_fast_post_on_edge_records(record: Any) -> None:
    assert match_stream._post(record, 1) == matchable(record, 1)


def test_make_post_is_the_dataclass() -> None:
    names = [field.name for field in dataclasses.fields(MatchablePost)]
    values: list[Any] = ["t", "h", "en", "x", 12, True, False, True]
    post = make_post(*values)
    assert post == MatchablePost(*values)
    assert [getattr(post, name) for name in names] == values
    with pytest.raises(dataclasses.FrozenInstanceError):
        post.text = "other"  # type: ignore[misc]


def _old_line(post_id: Any, names: list[str]) -> str:
    return json.dumps({"id": post_id, "monitors": names}, ensure_ascii=False)


def test_match_output_is_what_the_plain_path_wrote(tmp_path: Path) -> None:
    monitors = generate_monitors(300, seed=3)
    monitors.append(('m\u00e9tro "quoted" \\ name', "comcast OR verizon"))  # escaped in the output
    posts = generate_posts(1500, seed=5)
    rng = random.Random(1)
    ids: list[Any] = [
        rng.choice([number, f"p{number}", f'\u00e9"{number}\\', number + 0.5, None, True, [number]])
        for number in range(len(posts))
    ]
    records = []
    for post_id, post in zip(ids, posts, strict=True):
        record = {"id": post_id, **dataclasses.asdict(post)}
        if rng.random() < 0.3:  # a normalized post's author object
            record["author"] = {"handle": record.pop("author_handle"), "followers": record.pop("followers")}
        records.append(record)
    (tmp_path / "m.json").write_text(json.dumps([{"name": n, "query": q} for n, q in monitors]), "utf-8")
    lines = [json.dumps(record, ensure_ascii=rng.random() < 0.5) for record in records]
    (tmp_path / "p.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = runner.invoke(app, ["match", "-m", str(tmp_path / "m.json"), "-i", str(tmp_path / "p.jsonl")])

    assert result.exit_code == 0, result.output
    matcher = compile_monitors(monitors)
    expected = []
    for number, (record, line) in enumerate(zip(records, lines, strict=True), start=1):
        read = matchable(json.loads(line), number)
        assert not isinstance(read, str)
        expected.append(_old_line(record["id"], matcher.match(read[1])))
    assert result.stdout.splitlines() == expected
    queries = [(name, validate_query(query)) for name, query in sorted(monitors)]
    for line, post in list(zip(result.stdout.splitlines(), posts, strict=True))[:100]:
        assert json.loads(line)["monitors"] == [name for name, query in queries if evaluate(query, post)]


def test_json_monitors_never_load_yaml(tmp_path: Path) -> None:
    (tmp_path / "m.json").write_text(json.dumps([{"name": "a", "query": "comcast"}]), encoding="utf-8")
    command = ["-m", "socialdesk.cli.main", "match", "-m", str(tmp_path / "m.json"), "-i", "-"]
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *command],
        input='{"id": 1, "text": "Comcast!"}\n',
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == '{"id": 1, "monitors": ["a"]}\n'
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "socialdesk.listening" in imported
    assert "yaml" not in imported


def test_bad_json_monitors_say_where(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text('[{"name": "a", "query": "x"},\n {"name": "b" "query": "y"}]', encoding="utf-8")
    result = runner.invoke(app, ["match", "--monitors", str(path), "--input", "-"], input="")
    assert result.exit_code == 2
    assert result.stderr == f"error: {path}: not valid JSON (Expecting ',' delimiter at line 2 column 15)\n"


@pytest.mark.parametrize(
    "text",
    [
        "[{name: a, query: comcast}]",  # YAML's flow style starts like JSON
        '[{"name": "a", "query": "comcast"}]',
        "- name: a\n  query: comcast\n",
    ],
)
def test_yaml_files_in_either_style(text: str) -> None:
    assert load_monitors(text, ".yaml") == [("a", "comcast")]


def test_yaml_goes_through_the_c_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    loaders = []
    load = yaml.load

    def spy(text: str, Loader: Any) -> Any:
        loaders.append(Loader)
        return load(text, Loader=Loader)

    monkeypatch.setattr(yaml, "load", spy)
    assert load_monitors("- name: a\n  query: comcast\n", ".yml") == [("a", "comcast")]
    assert loaders == [getattr(yaml, "CSafeLoader", yaml.SafeLoader)]
    with pytest.raises(MonitorFileError, match="not valid YAML or JSON"):
        load_monitors("- name: [unclosed\n", ".yml")


def test_match_leaves_garbage_collection_as_it_found_it(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps([{"name": "a", "query": "comcast"}]), encoding="utf-8")
    assert gc.isenabled()
    result = runner.invoke(app, ["match", "-m", str(path), "-i", "-"], input='{"text": "comcast"}\n')
    assert result.exit_code == 0
    assert gc.isenabled()
    result = runner.invoke(app, ["match", "-m", str(tmp_path / "none.json"), "-i", "-"])
    assert result.exit_code == 2
    assert gc.isenabled()


def _outcome(decode: Any, line: str) -> Any:
    try:
        return ("value", json.dumps(decode(line)))  # NaN compares equal this way
    except json.JSONDecodeError as exc:
        return ("error", exc.msg, exc.colno)


@pytest.mark.parametrize(
    "line",
    [
        '{"id": 1, "text": "a"}\n',
        '{"id": 1, "text": "a"}',
        '{"id": 1, "text": "a"}\r\n',
        '  {"id": 1}\n',
        '{"id": 1}  \n',
        '{"id": 1} {"id": 2}\n',
        '{"id": 1}\n\n',
        "\n",
        "   \n",
        "",
        "{not json\n",
        '{"a": [1, 2}\n',
        "[1, 2]\n",
        '"text"\n',
        "12 \n",
        "NaN\n",
        '{"a": "\\ud800"}\n',
    ],
)
def test_decode_is_json_loads(line: str) -> None:
    assert _outcome(match_stream._decode, line) == _outcome(json.loads, line)
