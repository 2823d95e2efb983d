"""`CompiledMatcher`: all monitors of a workspace in one structure that matches a post in one pass.

Each query is compiled to a predicate (`predicates.compile_node`) and indexed under its requirement
(`requirements.requirement`): the keys one of which any matching post holds. Matching a post tokenizes
it once, looks its distinct tokens up (a per-word cache remembers which monitors each word, and each of
its prefixes, can trigger), and runs only the predicates of the triggered monitors plus the few that
need no key (``lang:en AND followers:>1000``). Results equal the reference evaluator's, monitor by monitor.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from socialdesk.listening.errors import QueryError
from socialdesk.listening.keys import FIELD, PREFIX
from socialdesk.listening.post import MatchablePost, normal_handle
from socialdesk.listening.predicates import PostView, Predicate, compile_node, prefix_marks
from socialdesk.listening.query import Node, Query
from socialdesk.listening.requirements import (
    Estimate,
    default_estimate,
    mentioned_keys,
    post_field_keys,
    requirement,
    weighted_by_mentions,
)
from socialdesk.listening.tokens import token_strings
from socialdesk.listening.validation import validate_query

MonitorId = TypeVar("MonitorId", bound=Hashable)

CACHE_LIMIT = 200_000  # distinct words remembered before the word cache starts over


class MonitorQueryError(QueryError):
    """A monitor's query was refused: ``str(error)`` names the monitor, what is wrong and the column."""

    def __init__(self, monitor_id: Hashable, error: QueryError) -> None:
        self.monitor_id = monitor_id
        self.error = error
        super().__init__(f"monitor {monitor_id!s}: {error.message}", error.column)


def _sort_key(entry: tuple[Any, Query]) -> Any:
    return entry[0]


def _ordered(entries: list[tuple[MonitorId, Query]]) -> list[tuple[MonitorId, Query]]:
    try:
        return sorted(entries, key=_sort_key)
    except TypeError:  # ids of mixed types: a stable, deterministic order all the same
        return sorted(entries, key=lambda entry: (type(entry[0]).__name__, repr(entry[0])))


class CompiledMatcher(Generic[MonitorId]):
    """Matches posts against many monitors at once; build it with `compile_monitors`."""

    def __init__(self, queries: Sequence[tuple[MonitorId, Query]], estimate: Estimate) -> None:
        entries = _ordered(list(queries))
        self.monitor_ids: tuple[MonitorId, ...] = tuple(monitor_id for monitor_id, _ in entries)
        if len(set(self.monitor_ids)) != len(self.monitor_ids):
            raise ValueError("monitor ids must be unique")
        self.queries: tuple[Query, ...] = tuple(query for _, query in entries)
        # Monitors with the same tree share one predicate ("distinct" below), evaluated once per post.
        distinct: dict[Node, list[int]] = {}
        for index, query in enumerate(self.queries):
            distinct.setdefault(query.root, []).append(index)
        roots = list(distinct)
        self._members: list[tuple[int, ...]] = [tuple(members) for members in distinct.values()]
        self._predicates: list[Predicate] = [compile_node(root) for root in roots]
        self._words: dict[str, list[int]] = {}
        self._prefixes: dict[str, list[int]] = {}  # mark + prefix -> queries indexed under it
        self._fields: dict[str, list[int]] = {}
        estimate = weighted_by_mentions(estimate, roots)
        mentioned = set().union(*map(mentioned_keys, roots)) if roots else set()
        self._wildcards = frozenset(key[1:] for key in mentioned if key.startswith(PREFIX))
        self._wildcard_lengths = tuple(sorted({len(wildcard) for wildcard in self._wildcards}))
        always: list[int] = []
        for index, root in enumerate(roots):
            needed = requirement(root, estimate)
            if needed is None:
                always.append(index)
                continue
            for key in needed[0]:
                if key.startswith(PREFIX):
                    self._prefixes.setdefault(key[1:], []).append(index)
                elif key.startswith(FIELD):
                    self._fields.setdefault(key, []).append(index)
                else:
                    self._words.setdefault(key, []).append(index)
        self._always = tuple(always)
        kinds = {key[1:].partition(":")[0] for key in self._fields}
        self._by_author = "author" in kinds
        self._shape_kinds = frozenset(kinds - {"author"})
        self._shapes: dict[tuple[str, str | None, bool, bool, bool], tuple[int, ...]] = {}
        self._cache: dict[str, tuple[int, ...]] = {}  # word -> what it triggers (non-empty only)
        self._marks: dict[str, tuple[str, ...]] = {}  # word -> its prefix marks (non-empty only)
        self._seen: set[str] = set()
        self._hot: set[str] = set()  # words that trigger something
        self._marked: set[str] = set()  # words that have prefix marks

    def __len__(self) -> int:
        return len(self.monitor_ids)

    def stats(self) -> dict[str, int]:
        """Sizes of the index, for benchmarks and diagnostics."""
        return {
            "monitors": len(self.monitor_ids),
            "distinct_queries": len(self._predicates),
            "always_checked": len(self._always),
            "word_keys": len(self._words),
            "prefix_keys": len(self._prefixes),
            "field_keys": len(self._fields),
            "cached_words": len(self._seen),
        }

    def _learn(self, keys: set[str]) -> None:
        """Remember which queries each new word of a post triggers, and its prefix marks."""
        if len(self._seen) > CACHE_LIMIT:
            for remembered in (self._seen, self._hot, self._marked, self._cache, self._marks, self._shapes):
                remembered.clear()
        for word in keys - self._seen:
            marks = prefix_marks(word, self._wildcards, self._wildcard_lengths)
            found = set(self._words.get(word, ()))
            for mark in marks:
                self._marks[word] = marks
                self._marked.add(word)
                found.update(self._prefixes.get(mark[1:], ()))
            if found:
                self._cache[word] = tuple(found)
                self._hot.add(word)
            self._seen.add(word)

    def _triggered_by_fields(self, post: MatchablePost) -> tuple[int, ...]:
        """Queries indexed under the post's channel, language and flags (cached per combination)."""
        shape = (post.channel, post.lang, post.is_repost, post.is_reply, post.verified)
        found = self._shapes.get(shape)
        if found is None:
            keys = post_field_keys(post, self._shape_kinds) if self._shape_kinds else []
            found = tuple({index for key in keys for index in self._fields.get(key, ())})
            self._shapes[shape] = found
        if self._by_author:
            by_author = self._fields.get(f"{FIELD}author:{normal_handle(post.author_handle)}")
            if by_author:
                return found + tuple(by_author)
        return found

    def match_many(self, posts: Iterable[MatchablePost]) -> list[list[MonitorId]]:
        """The ids of the monitors each post matches, sorted, one list per post."""
        results: list[list[MonitorId]] = []
        cache, seen, hot = self._cache, self._seen, self._hot
        marks, marked = self._marks, self._marked
        predicates, members, ids = self._predicates, self._members, self.monitor_ids
        always, by_fields = self._always, bool(self._fields)
        for post in posts:
            text = post.text
            tokens = token_strings(text)
            keys = set(tokens)
            words = tokens
            if "#" in text or "@" in text or not text.isascii():
                words = [token[1:] if token[0] == "#" or token[0] == "@" else token for token in tokens]
                keys.update(words)
            if not keys <= seen:
                self._learn(keys)
            hits = keys & hot
            if not (hits or always or by_fields):
                results.append([])
                continue
            candidates = set(always)
            for word in hits:
                candidates.update(cache[word])
            if by_fields:
                candidates.update(self._triggered_by_fields(post))
            if not candidates:
                results.append([])
                continue
            for word in keys & marked:
                keys.update(marks[word])
            view = PostView(post, tokens, words, keys)
            matched = [members[index] for index in candidates if predicates[index](view)]
            if not matched:
                results.append([])
            elif len(matched) == 1 and len(matched[0]) == 1:
                results.append([ids[matched[0][0]]])
            else:
                results.append([ids[index] for index in sorted(itertools.chain.from_iterable(matched))])
        return results

    def match(self, post: MatchablePost) -> list[MonitorId]:
        """The ids of the monitors the post matches, sorted."""
        return self.match_many((post,))[0]


def compile_monitors(
    monitors: Iterable[tuple[MonitorId, str | Query]],
    *,
    estimate: Estimate = default_estimate,
) -> CompiledMatcher[MonitorId]:
    """Compile monitors (id, query text or parsed `Query`) into one matcher.

    Query text is checked with `validate_query`; a refused query raises `MonitorQueryError` naming the
    monitor. ``estimate`` (key -> share of posts holding it, see `requirements.estimate_from`) lets
    traffic statistics choose the rarest word of each AND.
    """
    queries: list[tuple[MonitorId, Query]] = []
    for monitor_id, query in monitors:
        if isinstance(query, Query):
            queries.append((monitor_id, query))
            continue
        try:
            queries.append((monitor_id, validate_query(query)))
        except QueryError as error:
            raise MonitorQueryError(monitor_id, error) from error
    return CompiledMatcher(queries, estimate)
