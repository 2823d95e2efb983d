"""User-written patterns run on RE2: linear time whatever the pattern, like Python's re on ordinary ones."""

from __future__ import annotations

import re

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.domain.care import ApprovalRule
from socialdesk.domain.user_patterns import (
    MAX_INPUT_CHARS,
    MAX_PATTERN_CHARS,
    UnsupportedPattern,
    compile_user_pattern,
)


@pytest.mark.timeout(60)  # a hang guard only: Python's re would need about 2**50 steps here
def test_catastrophic_pattern_runs_on_the_linear_engine() -> None:
    pattern = compile_user_pattern(r"(a+)+$")
    assert isinstance(pattern.engine, re2._Regexp)  # RE2's automaton, never a backtracking matcher
    assert pattern.search("a" * 50 + "b") is False
    assert ApprovalRule("regex", r"(a+)+$").matches("a" * 50 + "b") is False
    assert ApprovalRule("regex", r"(a+)+$").matches("a" * 50) is True


def test_search_looks_at_a_bounded_prefix_of_the_text() -> None:
    pattern = compile_user_pattern("needle")
    assert pattern.search("x" * (MAX_INPUT_CHARS - 6) + "needle") is True
    assert pattern.search("x" * MAX_INPUT_CHARS + "needle") is False


@pytest.mark.parametrize(
    ("pattern", "named"),
    [
        (r"(a)\1", "backreference \\1"),
        (r"(?P<x>a)(?P=x)", "named backreference"),
        (r"(?<=refund)s", "lookbehind"),
        (r"(?<!no )refund", "negative lookbehind"),
        (r"refund(?=s)", "lookahead"),
        (r"refund(?!s)", "negative lookahead"),
        (r"(?>a+)b", "atomic group"),
        ("a" * (MAX_PATTERN_CHARS + 1), "longer than 200 characters"),
        ("(", "missing )"),
        ("a{1000}{1000}", "bad repetition operator"),
    ],
)
def test_unsupported_constructs_are_refused_by_name(pattern: str, named: str) -> None:
    with pytest.raises(UnsupportedPattern, match=re.escape(named)):
        compile_user_pattern(pattern)


def test_dollar_matches_before_a_final_newline_as_in_python() -> None:
    assert compile_user_pattern("refund$").search("we refund\n") is True
    assert compile_user_pattern("refund$").search("we refund\n\n") is False


def test_a_stored_rule_re2_cannot_run_holds_the_reply() -> None:
    assert ApprovalRule("regex", r"(?<!no )refund").matches("anything at all") is True


_ATOMS = st.sampled_from(["a", "b", "c", ".", "[ab]", "[^a]", r"\d", r"\w", r"\s", "x", r"\.", "A"])


@st.composite
def _simple_patterns(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        atom = draw(_ATOMS) if depth >= 2 or draw(st.booleans()) else f"({draw(_simple_patterns(depth + 1))})"
        parts.append(atom + draw(st.sampled_from(["", "", "*", "+", "?", "{1,3}", "*?"])))
    body = "".join(parts)
    if draw(st.booleans()):
        body += "|" + draw(_simple_patterns(depth + 1)) if depth < 2 else ""
    return draw(st.sampled_from(["", "^"])) + body + draw(st.sampled_from(["", "$"]))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(_simple_patterns(), st.text(alphabet="abcxA .1_\n", max_size=20), st.sampled_from(["", "\n"]))
def test_behaves_like_pythons_re_on_ordinary_patterns(pattern: str, text: str, end: str) -> None:
    text += end
    expected = re.search(pattern, text, re.IGNORECASE) is not None
    assert compile_user_pattern(pattern).search(text) is expected
