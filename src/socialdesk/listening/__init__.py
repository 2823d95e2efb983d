"""Listening: the boolean monitor query language and a matcher for many monitors at once.

Pure: no I/O. Typical use::

    matcher = compile_monitors([("outages", '(comcast OR xfinity) AND ("no service" OR outage*)')])
    matcher.match(MatchablePost(text="Comcast outage again", channel="x"))  # -> ["outages"]

`validate_query` raises `QuerySyntaxError` (with a 1-based ``column``) or `QueryRejectedError`
(can match nothing / matches everything); both are `QueryError`. See docs/monitors.md.
"""

from socialdesk.listening.errors import QueryError, QueryRejectedError, QuerySyntaxError
from socialdesk.listening.matcher import CompiledMatcher, MonitorQueryError, compile_monitors
from socialdesk.listening.parser import parse_query
from socialdesk.listening.post import MatchablePost
from socialdesk.listening.query import Query
from socialdesk.listening.reference import evaluate
from socialdesk.listening.render import render
from socialdesk.listening.requirements import estimate_from
from socialdesk.listening.tokens import Token, fold, tokenize
from socialdesk.listening.validation import check_query, validate_query

__all__ = [
    "CompiledMatcher",
    "MatchablePost",
    "MonitorQueryError",
    "Query",
    "QueryError",
    "QueryRejectedError",
    "QuerySyntaxError",
    "Token",
    "check_query",
    "compile_monitors",
    "estimate_from",
    "evaluate",
    "fold",
    "parse_query",
    "render",
    "tokenize",
    "validate_query",
]
