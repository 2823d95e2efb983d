"""Input readers and validation: clear errors naming line and field, nothing else lost."""

from __future__ import annotations

import io
import json

import pytest

from socialdesk.domain.post import Post
from socialdesk.ingest.readers import (
    ReadContext,
    guess_format,
    read_airline,
    read_jsonl,
    read_records,
    read_twcs,
)
from socialdesk.ingest.validate import PostError, post_from_dict, post_schema, post_to_dict
from tests.conftest import shared_data
from tests.factories import post

GOOD = {
    "id": "1",
    "channel": "x",
    "text": "hello",
    "created_at": "2026-01-05T09:00:00Z",
    "author": {"id": "u1", "handle": "carol"},
}


def test_good_post_round_trips() -> None:
    parsed = post_from_dict(GOOD)
    assert isinstance(parsed, Post)
    assert parsed.created_at.utcoffset() is not None
    again = post_from_dict(post_to_dict(parsed))
    assert again == parsed
    built = post(id="7", reply_to="3")
    assert post_from_dict(post_to_dict(built)) == built


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"id": None}, "id", "is required"),
        ({"author": {"id": "u1"}}, "author.handle", "is required"),
        ({"channel": "myspace"}, "channel", "is not one of"),
        ({"created_at": "yesterday"}, "created_at", "not an ISO 8601"),
        ({"created_at": "2026-01-05T09:00:00"}, "created_at", "no time zone"),
        ({"author": {"id": "u1", "handle": "c", "followers": -3}}, "author.followers", "minimum"),
        ({"text": 5}, "text", "is not of type 'string'"),
    ],
)
def test_bad_posts_name_the_field(change: dict[str, object], field: str, message: str) -> None:
    data = {**GOOD, **change}
    data = {k: v for k, v in data.items() if v is not None}
    error = post_from_dict(data, line=12)
    assert isinstance(error, PostError)
    assert error.field == field
    assert message in error.message
    assert str(error).startswith(f"line 12: {field}: ")


def test_jsonl_keeps_good_lines_around_bad_ones() -> None:
    lines = [json.dumps(GOOD), "{not json", "", json.dumps({**GOOD, "id": "2"}), "[1, 2]"]
    records = list(read_jsonl(lines))
    kinds = [(n, type(r).__name__) for n, r in records]
    assert kinds == [(1, "Post"), (2, "PostError"), (4, "Post"), (5, "PostError")]
    assert "not valid JSON" in str(records[1][1])


def test_schema_is_published_with_required_fields() -> None:
    schema = post_schema()
    assert schema["required"] == ["id", "channel", "text", "created_at", "author"]


def test_twcs_reader_sorts_by_time_and_learns_brands() -> None:
    csv_text = (
        "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        "2,AcmeCares,False,Tue Oct 31 22:15:00 +0000 2017,@1 sorry,,1\n"
        "1,115712,True,Tue Oct 31 22:10:00 +0000 2017,@AcmeCares help,2,\n"
        "3,115713,maybe,Tue Oct 31 22:10:00 +0000 2017,hm,,\n"
        "4,115714,True,not a date,hm,,\n"
    )
    context = ReadContext()
    records = list(read_twcs(io.StringIO(csv_text), context))
    errors = [r for _, r in records if isinstance(r, PostError)]
    posts = [r for _, r in records if isinstance(r, Post)]
    assert [p.id for p in posts] == ["1", "2"]
    assert posts[1].in_reply_to == "1"
    assert context.brand_handles == {("x", "AcmeCares")}
    assert sorted((e.line, e.field) for e in errors) == [(4, "inbound"), (5, "created_at")]


def test_twcs_header_checked() -> None:
    with pytest.raises(ValueError, match="missing column"):
        list(read_twcs(io.StringIO("a,b\n1,2\n"), ReadContext()))


def test_airline_real_file_reads_cleanly() -> None:
    path = shared_data("airline/Tweets-train.csv")
    with open(path, encoding="utf-8", newline="") as f:
        records = list(read_airline(f))
    posts = [r for _, r in records if isinstance(r, Post)]
    assert len(posts) > 11_000
    assert len(posts) == len(records)
    assert all(p.created_at.tzinfo is not None for p in posts)


def test_format_is_guessed_or_explained() -> None:
    assert guess_format("posts.jsonl") == "jsonl"
    assert guess_format("../shared/data/twcs/twcs_first5000.csv") == "twcs"
    with pytest.raises(ValueError, match="--format"):
        guess_format("mystery.csv")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"created_at": "0001-01-01T00:00:00Z"}, "created_at", "outside the years 1970-9999"),
        ({"created_at": "1969-12-31T23:59:59Z"}, "created_at", "outside the years 1970-9999"),
        ({"created_at": "1970-01-01T00:30:00+01:00"}, "created_at", "outside the years 1970-9999"),
        ({"created_at": "9999-12-31T23:00:00-05:00"}, "created_at", "outside the years 1970-9999"),
        ({"author": {"id": "u1", "handle": "c", "followers": 2**63}}, "author.followers", "larger than"),
        ({"author": {"id": "u1", "handle": "c", "followers": 10**400}}, "author.followers", "larger than"),
    ],
)
def test_out_of_range_posts_name_the_field(change: dict[str, object], field: str, message: str) -> None:
    error = post_from_dict({**GOOD, **change}, line=3)
    assert isinstance(error, PostError)
    assert (error.field, message in error.message) == (field, True), error


def test_range_edges_are_accepted() -> None:
    for created in ("1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1970-01-01T01:00:00+01:00"):
        author = {"id": "u1", "handle": "c", "followers": 2**63 - 1}
        assert not isinstance(post_from_dict({**GOOD, "created_at": created, "author": author}), PostError)


def test_a_line_that_is_not_utf8_is_one_bad_record_in_every_format() -> None:
    good = json.dumps(GOOD).encode()
    jsonl = [good, good.replace(b"hello", b"h\xc3ll\xffo"), json.dumps({**GOOD, "id": "2"}).encode()]
    records = list(read_jsonl(jsonl))
    assert [(n, type(r).__name__) for n, r in records] == [(1, "Post"), (2, "PostError"), (3, "Post")]
    assert str(records[1][1]) == f"line 2: not UTF-8 at column {good.index(b'hello') + 2}"
    twcs = (
        b"tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        b"1,115712,True,Tue Oct 31 22:10:00 +0000 2017,caf\xe9 wifi,,\n"
        b'2,115713,True,Tue Oct 31 22:11:00 +0000 2017,"two\nlines \xff",,\n'
        b"3,115714,True,Tue Oct 31 22:12:00 +0000 2017,fine,,\n"
    )
    found = list(read_records(io.BytesIO(twcs), "twcs", ReadContext()))
    assert sorted((n, str(r) if isinstance(r, PostError) else r.id) for n, r in found) == [
        (2, "line 2: not UTF-8 at column 49"),
        (3, "line 3: not UTF-8 at column 7 of line 4"),
        (4, "3"),
    ]
