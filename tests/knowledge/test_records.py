"""The import format: each bad line is reported with its number and what is wrong; good lines pass."""

from __future__ import annotations

from socialdesk.knowledge.records import ArticleRecord, RecordError, parse_lines


def test_bad_lines_are_reported_by_number_and_good_lines_kept() -> None:
    lines = [
        b'{"id": "a", "title": "Refunds", "body": "How", "questions": ["money back?"], "language": "EN"}',
        b"{not json",
        b"",
        b'{"id": "b", "title": "", "body": "x"}',
        b'{"id": "c", "title": "T", "body": "x", "colour": "red"}',
        b'{"id": "d", "title": "T", "body": "x", "tags": "billing"}',
        b'{"id": "a", "title": "again", "body": "x"}',
        b"\xff\xfe",
        b'["a list"]',
        b'{"title": "T", "body": "x"}',
        b'{"id": 42, "title": "Numbers", "body": "ok"}',
    ]
    items = list(parse_lines(lines))
    good = [i for i in items if isinstance(i, ArticleRecord)]
    bad = {i.line: i.message for i in items if isinstance(i, RecordError)}
    assert [(g.line, g.key) for g in good] == [(1, "a"), (11, "42")]
    assert good[0].content.questions == ("money back?",) and good[0].content.language == "en"
    assert set(bad) == {2, 4, 5, 6, 7, 8, 9, 10}
    assert bad[2].startswith("not JSON")
    assert bad[4] == "title: must not be empty"
    assert bad[5].startswith("unknown field 'colour'")
    assert bad[6] == "tags: expected a list of strings"
    assert bad[7] == "id 'a' already given on line 1"
    assert bad[8].startswith("not UTF-8")
    assert bad[9] == "expected a JSON object"
    assert bad[10] == "id: missing"
