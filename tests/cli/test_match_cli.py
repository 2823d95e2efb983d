"""`socialdesk match` and `socialdesk bench match` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from socialdesk.cli.main import app

runner = CliRunner()

MONITORS_YAML = """
- name: outages
  query: '(comcast OR xfinity) AND ("no service" OR outage* OR down)'
- name: cancel
  query: (cancel OR cancelling) NEAR/3 comcast
- name: vips
  query: comcast AND followers:>=10000
  team: escalations
"""


def post(post_id: str, text: str, **extra: Any) -> str:
    record = {
        "id": post_id,
        "channel": "x",
        "text": text,
        "created_at": "2024-05-01T12:00:00Z",
        "author": {"id": "a1", "handle": "someone", "name": "Some One"},
    }
    record.update(extra)
    return json.dumps(record)


@pytest.fixture
def monitors(tmp_path: Path) -> Path:
    path = tmp_path / "monitors.yaml"
    path.write_text(MONITORS_YAML, encoding="utf-8")
    return path


def test_match_writes_one_line_per_post(monitors: Path, tmp_path: Path) -> None:
    posts = tmp_path / "posts.jsonl"
    lines = [
        post("1", "Comcast is down again, cancelling my #comcast"),
        post("2", "lovely weather"),
        post("3", "comcast", author={"id": "a2", "handle": "big", "followers": 20000}),
    ]
    posts.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    result = runner.invoke(app, ["match", "--monitors", str(monitors), "--input", str(posts)])
    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {"id": "1", "monitors": ["cancel", "outages"]},
        {"id": "2", "monitors": []},
        {"id": "3", "monitors": ["vips"]},
    ]


def test_match_reads_stdin_and_json_monitors(tmp_path: Path) -> None:
    path = tmp_path / "monitors.json"
    path.write_text(json.dumps([{"name": "hashtag", "query": "#comcast"}]), encoding="utf-8")
    stdin = post("9", "#Comcast fail") + "\n"
    result = runner.invoke(app, ["match", "--monitors", str(path), "--input", "-"], input=stdin)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"id": "9", "monitors": ["hashtag"]}


def test_bad_query_names_monitor_and_column(tmp_path: Path) -> None:
    path = tmp_path / "monitors.yaml"
    path.write_text("- name: broken\n  query: comcast AND (down OR out\n", encoding="utf-8")
    result = runner.invoke(app, ["match", "--monitors", str(path), "--input", "-"], input="")
    assert result.exit_code == 2
    assert result.stderr == "error: monitor broken: unbalanced parenthesis at column 13\n"
    assert result.stdout == ""


def test_useless_query_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "monitors.yaml"
    path.write_text("- name: everything\n  query: NOT comcast\n", encoding="utf-8")
    result = runner.invoke(app, ["match", "--monitors", str(path), "--input", "-"], input="")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: monitor everything: this query matches everything")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name: x\nquery: y\n", "expected a list of monitors"),
        ("- just a string\n", "monitor 1 is not a mapping"),
        ("- query: comcast\n", "monitor 1 needs a 'name'"),
        ("- name: a\n", "monitor 'a' needs a 'query'"),
        ("- {name: a, query: x1}\n- {name: a, query: x2}\n", "monitor name 'a' is used twice"),
        ("- name: [unclosed\n", "not valid YAML or JSON"),
    ],
)
def test_bad_monitor_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "monitors.yaml"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["match", "--monitors", str(path), "--input", "-"], input="")
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_malformed_lines_are_reported_and_skipped(monitors: Path) -> None:
    stdin = "\n".join(
        [
            post("1", "comcast outage"),
            "{not json",
            json.dumps({"id": "3", "channel": "x", "text": "comcast outage"}),  # a bare record will do
            json.dumps({"id": "4", "text": "comcast down", "author": {"handle": "a", "followers": "many"}}),
            json.dumps({"id": "5", "body": "comcast down"}),
            json.dumps(["comcast down"]),
            post("7", "xfinity down"),
        ]
    )
    result = runner.invoke(app, ["match", "--monitors", str(monitors), "--input", "-"], input=stdin)
    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["1", "3", "7"]
    errors = result.stderr.splitlines()
    assert errors[0].startswith("line 2: not valid JSON")
    assert errors[1:4] == [
        'line 4: followers: expected an integer, got "many"',
        "line 5: text: is required (a string)",
        "line 6: expected a JSON object, got list",
    ]
    assert errors[-1] == "error: 4 line(s) skipped because they are not valid posts"


def test_bare_records_keep_their_ids_and_fields(monitors: Path) -> None:
    records = [
        {"id": 1, "text": "Comcast outage"},
        {"id": "two", "text": "comcast", "author": "big", "followers": 20000},
        {"id": 3, "text": "comcast", "author_handle": "big", "followers": 20000, "verified": True},
        {"text": "comcast down"},  # no id: null, in order
        {"id": 5.5, "text": "comcast", "author": {"handle": "big", "followers": 9999}},
    ]
    stdin = "\n".join(json.dumps(record) for record in records)
    result = runner.invoke(app, ["match", "--monitors", str(monitors), "--input", "-"], input=stdin)
    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {"id": 1, "monitors": ["outages"]},
        {"id": "two", "monitors": ["vips"]},
        {"id": 3, "monitors": ["vips"]},
        {"id": None, "monitors": ["outages"]},
        {"id": 5.5, "monitors": []},
    ]


def test_reply_and_repost_facts_from_either_spelling(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(
        '[{"name": "r", "query": "comcast AND is:reply"}, {"name": "rt", "query": "comcast AND is:repost"}]'
    )
    records = [
        {"id": 1, "text": "comcast", "in_reply_to": "9"},
        {"id": 2, "text": "comcast", "is_reply": True, "repost_of": "8"},
        {"id": 3, "text": "comcast", "is_repost": False, "repost_of": "8", "in_reply_to": ""},
    ]
    stdin = "\n".join(json.dumps(record) for record in records)
    result = runner.invoke(app, ["match", "--monitors", str(path), "--input", "-"], input=stdin)
    assert [json.loads(line)["monitors"] for line in result.stdout.splitlines()] == [["r"], ["r", "rt"], []]


def test_missing_files(monitors: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["match", "--monitors", str(tmp_path / "nope.yaml"), "--input", "-"])
    assert result.exit_code == 2
    assert "monitors file not found" in result.stderr
    result = runner.invoke(app, ["match", "--monitors", str(monitors), "--input", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "input file not found" in result.stderr


def test_bench_match_prints_figures() -> None:
    result = runner.invoke(app, ["bench", "match", "--posts", "300", "--monitors", "50,200"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert [entry["monitors"] for entry in figures["results"]] == [50, 200]
    for entry in figures["results"]:
        assert entry["agree_with_reference"] is True
        assert entry["fast_posts_per_s"] > 0
        assert entry["ratio"] > 0
        # `socialdesk match` end to end, in a new process, beside the matcher's figure
        assert entry["cli_agrees"] is True
        assert entry["cli_posts_per_s"] > 0
        ratio = entry["cli_posts_per_s"] / entry["fast_posts_per_s"]
        assert entry["cli_to_core_ratio"] == pytest.approx(ratio, abs=0.011)


def test_bench_match_without_the_cli() -> None:
    result = runner.invoke(app, ["bench", "match", "--posts", "200", "--monitors", "20", "--no-cli"])
    assert result.exit_code == 0, result.output
    assert "cli_posts_per_s" not in json.loads(result.stdout)["results"][0]


def test_bench_match_refuses_bad_counts() -> None:
    result = runner.invoke(app, ["bench", "match", "--monitors", "many"])
    assert result.exit_code == 2
