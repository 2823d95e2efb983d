"""`socialdesk classify` through the Typer commands this room registers (independent of other rooms)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from socialdesk.cli.triage import register
from tests.conftest import shared_data

app = typer.Typer()
_bench = typer.Typer()
app.add_typer(_bench, name="bench")
register(app, _bench)

KEYS = {
    "id",
    "needs_reply",
    "category",
    "sentiment",
    "sentiment_score",
    "language",
    "urgency",
    "private_data",
    "explanation",
}


def _post(post_id: str, text: str, followers: int | None = None) -> str:
    author: dict[str, object] = {"id": "u1", "handle": "alice", "name": "Alice"}
    if followers is not None:
        author["followers"] = followers
    return json.dumps(
        {
            "id": post_id,
            "channel": "x",
            "text": text,
            "created_at": "2024-05-01T10:00:00+00:00",
            "author": author,
        }
    )


def test_classify_schema(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    first = "@comcastcares internet is down, call me at (555) 123-4567"
    path.write_text(
        _post("1", first, 10) + "\n" + _post("2", "@Delta thank you, great crew!", 10_000_000) + "\n"
    )
    result = CliRunner().invoke(app, ["classify", "--input", str(path)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["1", "2"]
    for line in lines:
        assert set(line) == KEYS
        assert isinstance(line["needs_reply"], bool)
        assert isinstance(line["urgency"], int)
        assert isinstance(line["explanation"], list)
    start = first.index("(555)")
    assert lines[0]["private_data"] == [
        {"kind": "phone", "start": start, "end": start + 14, "text": "(555) 123-4567"}
    ]
    assert lines[0]["category"] == "outage_report"
    assert lines[0]["needs_reply"] is True


def test_classify_stdin_and_bad_lines() -> None:
    lines = [
        _post("a", "where is my order?"),
        "{not json",
        json.dumps({"id": 3, "text": "x"}),  # a bare record: its numeric id comes back as a number
        json.dumps({"id": 4, "body": "x"}),
        json.dumps({"text": "no id at all"}),
        json.dumps({"id": 6, "text": "hi", "author": {"followers": "lots"}}),
        _post("b", "hi"),
    ]
    result = CliRunner().invoke(app, ["classify", "--input", "-"], input="\n".join(lines) + "\n")
    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", 3, None, "b"]
    assert "line 2: not valid JSON" in result.stderr
    assert "line 4: 'text' must be a string" in result.stderr
    assert "line 6: 'author.followers' must be an integer" in result.stderr
    assert "3 line(s) could not be classified" in result.stderr


def test_classify_bare_records_match_normalized_posts() -> None:
    text = "@AcmeCares my card was charged twice, refund please"
    full = _post("1", text, 10)
    bare = [
        {"id": 1, "text": text, "author": "someone", "followers": 10},
        {"id": 2, "text": text, "author_handle": "someone", "followers": 10},
        {"id": 3, "text": text, "author": {"handle": "someone", "followers": 10}},
    ]
    stdin = "\n".join([full, *(json.dumps(record) for record in bare)])
    result = CliRunner().invoke(app, ["classify", "--input", "-"], input=stdin)
    assert result.exit_code == 0, result.output
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert all({**out, "id": None} == {**outputs[0], "id": None} for out in outputs)


def test_classify_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["classify", "--input", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert "not found" in result.stderr


def test_bench_triage_prints_both_models_and_vader() -> None:
    shared_data("airline/Tweets-train.csv")
    result = CliRunner().invoke(app, ["bench", "triage", "--posts", "600", "--repeats", "1", "--ml"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    for key in ("triage", "triage_single_post", "vader_baseline", "triage_ml"):
        assert figures[key]["posts_per_s_cpu"] > 0
    assert figures["ratio_cpu"] == round(
        figures["triage"]["posts_per_s_cpu"] / figures["vader_baseline"]["posts_per_s_cpu"], 2
    )
    assert "ratio_ml_cpu" in figures
