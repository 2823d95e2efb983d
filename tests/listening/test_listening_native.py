"""The C matcher (`native_plan`, `_native.c`): the same answers as the reference and the Python matcher."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.actions.inbox.annotate import Annotator
from socialdesk.bench.match import generate_monitors, generate_posts
from socialdesk.config import Settings
from socialdesk.listening import MatchablePost, Query, compile_monitors, evaluate, native_plan, render
from socialdesk.listening.query import (
    AuthorIs,
    ChannelIs,
    FollowersAre,
    LangIs,
    Near,
    Node,
    Not,
    Or,
    Prefix,
    Term,
)
from socialdesk.listening.tokens import token_strings
from tests.listening.listening_strategies import nodes, post_texts
from tests.listening.matcher_kinds import HAS_COMPILER

pytestmark = pytest.mark.skipif(
    not native_plan.available() and not HAS_COMPILER,
    reason="no C compiler here, so the optional C matcher was not built",
)

ALPHABET = "aZ9 #@_-'.:/é\u0301ß日本😡\ufe0fİ‘’Ａx\u1680\u3000\u00a0\t\n한ी<=\u0338\u00a8ﬁΣ\u2028ไทย"


def _both(queries: list[tuple[int, Query]]) -> tuple[object, object]:
    return compile_monitors(queries, native=True), compile_monitors(queries, native=False)


def test_the_c_matcher_is_built_and_used_by_default() -> None:
    assert native_plan.available(), "a C compiler is here, so `pip install -e .` must build the C matcher"
    assert compile_monitors([("m", "comcast")]).stats()["native"] == 1


def test_the_setting_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALDESK_NATIVE_MATCHER", "false")
    settings = Settings()
    assert settings.native_matcher is False
    annotator = Annotator(native_matcher=settings.native_matcher)
    assert annotator._native is False
    python = compile_monitors([("m", "comcast")], native=annotator._native)
    assert python.stats()["native"] == 0
    assert python.match(MatchablePost("Comcast!")) == ["m"]
    assert Annotator()._native is None  # by default: the C matcher where built


@settings(derandomize=True, max_examples=600, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40) | st.text(max_size=40) | post_texts())
def test_tokens_are_the_tokenizers(text: str) -> None:
    matcher = compile_monitors([("m", "comcast")], native=True)
    assert matcher._native.tokens(text) == token_strings(text)


handles = st.sampled_from(("alice", "@Alice", "ÁLICE", "@ålice", "a" * 70, "@" + "B" * 80, "", "x_y"))
langs = st.sampled_from((None, "en", "EN-us", "en_GB", "en--us", "fr", "", "ÉN", "-en", "en-"))
channels = st.sampled_from(("x", "X", "reddit", "REDDİT", "ｘ", "email"))
odd_posts = st.builds(
    MatchablePost,
    text=post_texts() | st.text(alphabet=ALPHABET, max_size=30),
    author_handle=handles,
    lang=langs,
    channel=channels,
    followers=st.sampled_from((None, 0, 9, 10, 11, 2**70, -(2**70), True)),
    verified=st.sampled_from((True, False, 1, 0, 2)),
    is_repost=st.sampled_from((True, False, 0, 3)),
    is_reply=st.booleans(),
)
odd_fields: st.SearchStrategy[Node] = st.one_of(
    st.builds(AuthorIs, st.sampled_from(("alice", "ålice", "a" * 70, "b" * 80, "", "x_y"))),
    st.builds(LangIs, st.sampled_from(("en", "en-us", "en-gb", "en-", "", "én"))),
    st.builds(ChannelIs, st.sampled_from(("x", "reddit", "email"))),
    st.builds(FollowersAre, st.sampled_from((">", ">=", "<", "<=")), st.sampled_from((0, 10, 2**69))),
)


@settings(derandomize=True, max_examples=400, deadline=None)
@given(
    st.lists(nodes | odd_fields, min_size=1, max_size=10),
    st.lists(odd_posts, min_size=1, max_size=10),
)
def test_agrees_with_the_reference_on_odd_posts(roots: list[Node], sample: list[MatchablePost]) -> None:
    queries = [(number, Query(root, render(root))) for number, root in enumerate(roots)]
    native, python = _both(queries)
    expected = [[number for number, root in enumerate(roots) if evaluate(root, post)] for post in sample]
    assert native.match_many(sample) == expected  # type: ignore[attr-defined]
    assert python.match_many(sample) == expected  # type: ignore[attr-defined]


def test_agrees_with_the_python_matcher_on_the_benchmark_traffic() -> None:
    monitors = generate_monitors(3000, seed=3)
    posts = generate_posts(4000, seed=5)
    native, python = compile_monitors(monitors, native=True), compile_monitors(monitors, native=False)
    found = native.match_many(posts)
    assert found == python.match_many(posts)
    assert sum(1 for ids in found if ids) > 400  # the traffic does match monitors


def test_long_wildcards_and_near_over_prefixes() -> None:
    long = "x" * 300
    roots: list[Node] = [
        Prefix(long),
        Prefix(long[:260], "#"),
        Near(Prefix("refund"), Term("comcast"), 2),
        Near(Prefix("refund", "#"), Prefix("comc", "@"), 1),
    ]
    posts = [
        MatchablePost(text)
        for text in (
            long + "y",
            "#" + long,
            "refunds now comcast",
            "refunds a b comcast",
            "#refundme @comcastcares",
            "refundme @comcastcares",
        )
    ]
    queries = [(number, Query(root, render(root))) for number, root in enumerate(roots)]
    native = compile_monitors(queries, native=True)
    expected = [[number for number, root in enumerate(roots) if evaluate(root, post)] for post in posts]
    assert native.match_many(posts) == expected
    assert expected == [[0], [0, 1], [2], [], [3], []]


def test_many_posts_and_results_stay_independent() -> None:
    matcher = compile_monitors([("a", "comcast"), ("b", "down")], native=True)
    results = matcher.match_many(MatchablePost(f"comcast {'down' if n % 2 else 'up'}") for n in range(1000))
    assert results[0] == ["a"] and results[1] == ["a", "b"]
    results[0].append("mine")
    assert results[2] == ["a"]


def test_bad_posts_raise_and_leave_the_collector_as_it_was() -> None:
    matcher = compile_monitors([("a", "comcast")], native=True)
    with pytest.raises(TypeError, match="text must be str"):
        matcher.match_many([MatchablePost(None)])  # type: ignore[arg-type]
    assert gc.isenabled()

    def broken() -> Iterator[MatchablePost]:
        yield MatchablePost("comcast")
        raise RuntimeError("the feed broke")

    with pytest.raises(RuntimeError, match="the feed broke"):
        matcher.match_many(broken())
    assert gc.isenabled()
    gc.disable()
    try:
        assert matcher.match_many([MatchablePost("comcast")]) == [["a"]]
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_deep_queries_go_to_the_reference() -> None:
    deep: Node = Near(Term("a"), Term("b"), 1)
    for number in range(native_plan.MAX_DEPTH + 10):
        deep = Not(deep) if number % 2 else Or((deep, Term(f"w{number}")))
    matcher = compile_monitors([(0, Query(deep, render(deep)))], native=True)
    for text in ("a b", "w3", "nothing", "w1 a b", "b x a"):
        post = MatchablePost(text)
        assert matcher.match(post) == ([0] if evaluate(deep, post) else [])


def test_threads_share_one_matcher() -> None:
    matcher = compile_monitors([("a", "comcast"), ("b", "café")], native=True)
    posts = [MatchablePost("comcast café 😡" if n % 2 else "Café") for n in range(2000)]
    expected = matcher.match_many(posts)
    with ThreadPoolExecutor(4) as pool:
        for found in pool.map(matcher.match_many, [posts] * 8):
            assert found == expected


def test_the_c_matcher_refuses_to_be_entered_twice() -> None:
    matcher = compile_monitors([("a", "comcast")], native=True)
    inner: list[BaseException] = []

    def posts() -> Iterator[MatchablePost]:
        try:
            matcher._native.match_many([MatchablePost("comcast")])
        except RuntimeError as error:
            inner.append(error)
        yield MatchablePost("comcast")

    assert matcher._native.match_many(posts()) == [["a"]]
    assert "in use" in str(inner[0])


TRICKY_QUERIES = [
    "日本",
    '"日本 航空"',
    "ไทยแลนด์",
    "ไทย",
    "café NEAR/2 straße",
    "#straße OR @ｃｏｍｃａｓｔ",
    "comcast's",
    "wi-fi AND NOT #wifi",
    '"#comcast down" OR "@comcast help"',
    "refund* NEAR/1 #comc*",
    "İstanbul OR ıstanbul",
    "naïve* AND lang:pt-br",
    "author:ÅLICE OR channel:ＲＥＤＤＩＴ",
]
TRICKY_POSTS = [
    "日本航空が遅れた",
    "日本 航空 😡",
    "ไทยแลนด์ ไทย",
    "Café at the STRASSE, then straße",
    "#Straße @COMCAST down",
    "Comcast's wi-fi is down #wifi",
    "wi fi",
    "#comcast down again; @comcast help!",
    "refunds #comcastfail",
    "İSTANBUL and ıstanbul and istanbul",
    "naïvely naive",
    "a@comcast.com #@comcast ##comcast @#comcast comcast😡down",
]


@pytest.mark.parametrize("query", TRICKY_QUERIES)
def test_tricky_queries_mean_what_the_reference_says(query: str) -> None:
    native = compile_monitors([("q", query)], native=True)
    python = compile_monitors([("q", query)], native=False)
    for text in TRICKY_POSTS:
        for post in (
            MatchablePost(text),
            MatchablePost(text, author_handle="@ålice", lang="pt_BR", channel="Reddit"),
        ):
            expected = ["q"] if evaluate(native.queries[0], post) else []
            assert native.match(post) == expected, (query, text)
            assert python.match(post) == expected, (query, text)
