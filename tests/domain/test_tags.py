"""Tags as people type them: folded, checked, deduplicated, bounded."""

from __future__ import annotations

import pytest

from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.tags import MAX_TAGS, merged, parse_tags


def test_typed_tags_are_folded_split_and_deduplicated() -> None:
    assert parse_tags(" Billing, #vip  billing\nrefund-2 ") == ("billing", "vip", "refund-2")
    assert parse_tags("") == ()


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("<script>", "tag '<script>'"),
        ('a"b', "tag 'a\"b'"),
        ("x" * 41, "1 to 40 letters"),
        ("café", "tag 'café'"),
        (", ".join(f"t{i}" for i in range(MAX_TAGS + 1)), "at most 20"),
        ("t," * 1_001, "2,002 characters; at most 2,000"),
    ],
)
def test_bad_tags_are_refused_saying_which(typed: str, why: str) -> None:
    with pytest.raises(ValidationFailed, match=why.replace("(", r"\(")):
        parse_tags(typed)


def test_merged_adds_removes_and_stays_bounded() -> None:
    assert merged(("a", "b"), ("c", "a"), ("b",)) == ("a", "c")
    with pytest.raises(ValidationFailed, match="at most 20"):
        merged(tuple(f"t{i}" for i in range(MAX_TAGS)), ("one-more",))
