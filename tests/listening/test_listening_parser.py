"""Parsing: every construct, precedence, canonical rendering, errors with their columns."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from socialdesk.listening import QuerySyntaxError, parse_query, render
from socialdesk.listening.query import (
    And,
    AnyOf,
    AuthorIs,
    ChannelIs,
    FollowersAre,
    IsReply,
    IsRepost,
    LangIs,
    Near,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Term,
    VerifiedIs,
)
from tests.listening.listening_strategies import nodes

a, b, c = Term("a1"), Term("b1"), Term("c1")

TREES: list[tuple[str, Node]] = [
    ("Comcast", Term("comcast")),
    ("#Comcast", Term("comcast", "#")),
    ("@comcast", Term("comcast", "@")),
    ("and or not near", And((Term("and"), Term("or"), Term("not"), Term("near")))),
    ('"No Service"', Phrase((Term("no"), Term("service")))),
    ('"comcast"', Term("comcast")),
    ('""', Phrase(())),
    ("wi-fi", Phrase((Term("wi"), Term("fi")))),
    ("comcast's", Phrase((Term("comcast"), Term("s")))),
    ("康卡", Phrase((Term("康"), Term("卡")))),
    ("refund*", Prefix("refund")),
    ("#Refund*", Prefix("refund", "#")),
    ("a1 b1", And((a, b))),
    ("a1 AND b1 c1", And((a, b, c))),
    ("a1 OR b1 c1", Or((a, And((b, c))))),
    ("a1 b1 OR c1", Or((And((a, b)), c))),
    ("NOT a1 b1", And((Not(a), b))),
    ("NOT a1 OR b1", Or((Not(a), b))),
    ("NOT (a1 OR b1)", Not(Or((a, b)))),
    ("NOT NOT a1", Not(Not(a))),
    ("(a1 OR b1) c1", And((Or((a, b)), c))),
    ("((a1))", a),
    ("(a1 AND b1) AND c1", And((a, b, c))),
    ("a1 NEAR/3 b1", Near(a, b, 3)),
    ("NOT a1 NEAR/3 b1", Not(Near(a, b, 3))),
    ('"no service" NEAR/2 comc*', Near(Phrase((Term("no"), Term("service"))), Prefix("comc"), 2)),
    ("(a1 OR (b1 OR c1)) NEAR/5 #x", Near(AnyOf((a, b, c)), Term("x", "#"), 5)),
    ("author:@ComcastCares", AuthorIs("comcastcares")),
    ("lang:pt_BR", LangIs("pt-br")),
    ("channel:Reddit", ChannelIs("reddit")),
    ("followers:>1000", FollowersAre(">", 1000)),
    ("followers:>=10", FollowersAre(">=", 10)),
    ("followers:<5", FollowersAre("<", 5)),
    ("followers:<=5", FollowersAre("<=", 5)),
    ("verified:true", VerifiedIs(True)),
    ("verified:False", VerifiedIs(False)),
    ("is:repost", IsRepost()),
    ("is:reply", IsReply()),
    ("Lang:en", LangIs("en")),
    ('comcast"no service"(x)', And((Term("comcast"), Phrase((Term("no"), Term("service"))), Term("x")))),
]


@pytest.mark.parametrize(("text", "tree"), TREES)
def test_parse(text: str, tree: Node) -> None:
    query = parse_query(text)
    assert query.root == tree
    assert query.text == text
    assert parse_query(render(tree)).root == tree


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("comcast and Xfinity", "comcast AND and AND xfinity"),
        ("a1 OR (b1 c1)", "a1 OR b1 AND c1"),
        ("(a1 OR b1) NOT c1", "(a1 OR b1) AND NOT c1"),
        ("NOT (a1 b1)", "NOT (a1 AND b1)"),
        ("wi-fi", '"wi fi"'),
    ],
)
def test_render(text: str, canonical: str) -> None:
    assert render(parse_query(text).root) == canonical


ERRORS = [
    ("", "empty query at column 1"),
    ("   ", "empty query at column 1"),
    ("(comcast OR xfinity", "unbalanced parenthesis at column 1"),
    ("comcast OR xfinity) x", "unbalanced parenthesis at column 19"),
    ("comcast AND (down OR out", "unbalanced parenthesis at column 13"),
    ("comcast ()", "empty parentheses at column 9"),
    ("comcast NEAR down", "NEAR needs a distance, like NEAR/5, at column 9"),
    ("comcast NEAR/x down", "NEAR needs a distance, like NEAR/5, at column 9"),
    ("comcast NEAR/0 down", "NEAR distance must be at least 1 at column 9"),
    ("comcast NEAR/3", "NEAR needs something after it at column 9"),
    ("NEAR/3 down", "NEAR needs something before it at column 1"),
    ("a1 NEAR/3 b1 NEAR/3 c1", "NEAR cannot be chained; join pairs with AND instead at column 14"),
    ("(a1 AND b1) NEAR/3 c1", "NEAR joins words, phrases, wildcards or (a OR b) groups of them at column 13"),
    ("a1 NEAR/3 lang:en", "NEAR joins words, phrases, wildcards or (a OR b) groups of them at column 11"),
    ("comcast AND", "AND needs something after it at column 9"),
    ("comcast OR", "OR needs something after it at column 9"),
    ("comcast AND OR x", "AND needs something after it at column 9"),
    ("(comcast OR)", "OR needs something after it at column 10"),
    ("AND comcast", "AND needs something before it at column 1"),
    ("OR comcast", "OR needs something before it at column 1"),
    ("comcast NOT", "NOT needs something after it at column 9"),
    ("NOT", "NOT needs something after it at column 1"),
    ('comcast "no service', "unterminated quote at column 9"),
    (
        "foo:bar",
        "unknown field 'foo' (fields are author, lang, channel, followers, verified, is; "
        "quote text that has a colon) at column 1",
    ),
    (
        "x https://comcast.com",
        "unknown field 'https' (fields are author, lang, channel, followers, "
        "verified, is; quote text that has a colon) at column 3",
    ),
    ("lang:", "lang: needs a value right after the colon at column 6"),
    ("lang:e!n", "lang: needs a language code, like lang:en or lang:pt-br, at column 6"),
    ("author:@", "author: needs a handle at column 8"),
    ("followers:1000", "followers needs a comparison, like followers:>1000, at column 11"),
    ("followers:>many", "followers needs a comparison, like followers:>1000, at column 11"),
    ("verified:yes", "verified: takes true or false at column 10"),
    ("is:quote", "is: takes repost or reply at column 4"),
    ("comcast re*", "a wildcard needs at least 3 letters before the * at column 9"),
    ("*", "a wildcard needs at least 3 letters before the * at column 1"),
    ("com*cast", "a wildcard * goes only at the end of a word at column 4"),
    ("wi-fi*", "a wildcard must be one word of letters and digits at column 1"),
    ('"refund* now"', "wildcards do not work inside quotes at column 8"),
    ("comcast -giveaway", "a leading - does not exclude; write NOT before the word at column 9"),
    ('"no service"~3', 'write proximity with NEAR: "a b"~3 is a NEAR/3 b at column 13'),
    ("comcast 😡", "'😡' has no letters or digits to search for at column 9"),
]


@pytest.mark.parametrize(("text", "message"), ERRORS)
def test_syntax_errors(text: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(text)
    assert str(caught.value) == message
    assert caught.value.column >= 1


def test_error_exposes_message_and_column() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query("comcast AND (down")
    assert (caught.value.message, caught.value.column) == ("unbalanced parenthesis", 13)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(nodes)
def test_render_parse_round_trip(node: Node) -> None:
    assert parse_query(render(node)).root == node


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("(" * 200 + "wifi" + ")" * 200, 51),
        ("NOT " * 1000 + "wifi", 201),
        ("(NOT " * 30 + "wifi" + ")" * 30, 126),  # parentheses and NOTs count together
    ],
)
def test_deep_nesting_is_refused_with_its_column(text: str, column: int) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(text)
    assert caught.value.column == column
    assert "more than 50 levels deep" in str(caught.value)


def test_fifty_levels_still_parse() -> None:
    assert parse_query("(" * 25 + "NOT " * 24 + "wifi AND down" + ")" * 25).text.startswith("(((")
