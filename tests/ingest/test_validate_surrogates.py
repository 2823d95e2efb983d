"""A lone surrogate (JSON's unpaired `\\ud800` escape) is refused with the field that holds it: no
database can store it, and before it failed the whole write of the post's batch."""

from __future__ import annotations

import json
from typing import Any

import pytest

from socialdesk.domain.post import Post
from socialdesk.ingest.validate import PostError, post_from_dict


def _record(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "1",
        "channel": "x",
        "text": "my wifi is down",
        "created_at": "2026-01-05T09:00:00Z",
        "author": {"id": "u1", "handle": "cust1", "name": "Cust"},
        "location": {"text": "Leeds"},
    }
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for key in parents:
            target = target[key]
        target[last] = value
    return data


@pytest.mark.parametrize(
    ("path", "field"),
    [("text", "text"), ("id", "id"), ("url", "url"), ("author__name", "author.name"),
     ("author__handle", "author.handle"), ("location__text", "location.text")],
)  # fmt: skip
def test_a_lone_surrogate_is_refused_with_its_field(path: str, field: str) -> None:
    broken = json.loads('"ok \\ud800 then"')  # what a JSON body with an unpaired escape decodes to
    result = post_from_dict(_record(**{path: broken}), line=7)
    assert isinstance(result, PostError)
    assert (result.line, result.field) == (7, field)
    assert "lone surrogate" in result.message


def test_a_paired_escape_is_a_character_and_is_kept() -> None:
    text = json.loads('"love it \\ud83d\\ude00"')
    result = post_from_dict(_record(text=text))
    assert isinstance(result, Post)
    assert result.text == "love it 😀"
    result.text.encode()  # storable


@pytest.mark.parametrize(("path", "field"), [("text", "text"), ("author__handle", "author.handle")])
def test_a_nul_character_is_refused_with_its_field(path: str, field: str) -> None:
    result = post_from_dict(_record(**{path: json.loads('"wifi \\u0000 down"')}), line=4)
    assert isinstance(result, PostError)
    assert (result.field, "NUL character" in result.message) == (field, True)
