"""`CompiledMatcher`: all monitors of a workspace in one structure that matches a post in one pass.

Each query is indexed under its requirement (`requirements.requirement`): keys one of which any
matching post holds (a word, a wildcard prefix or a field value). All queries indexed under one key are
compiled into one generated Python function (`codegen`) that knows the key is present. Matching a post
splits it once (`fasttokens`), checks its words against the set of words that trigger something (a
per-word cache remembers which functions each word, and each of its prefixes, triggers), and runs only
those functions, plus the ones of its field values and the few queries that need no key
(``NOT followers:>10 AND ...``). Results equal the reference evaluator's, monitor by monitor.
"""

from __future__ import annotations

import operator
import threading
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from socialdesk.listening import native_plan
from socialdesk.listening.codegen import Emitter, Group, build
from socialdesk.listening.errors import QueryError
from socialdesk.listening.fasttokens import split_post, tokens_of
from socialdesk.listening.keys import FIELD, PREFIX
from socialdesk.listening.post import MatchablePost, normal_handle
from socialdesk.listening.query import Node, Query
from socialdesk.listening.requirements import (
    Estimate,
    default_estimate,
    mentioned_keys,
    post_field_keys,
    requirement,
    weighted_by_mentions,
)
from socialdesk.listening.validation import validate_query

MonitorId = TypeVar("MonitorId", bound=Hashable)

CACHE_LIMIT = 200_000  # distinct words remembered before the word cache starts over
_SHAPE_FIELDS = {"channel": ("channel",), "lang": ("lang",), "is": ("is_repost", "is_reply")}
_SHAPE_FIELDS["verified"] = ("verified",)


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


def _index(roots: list[Node], estimate: Estimate) -> tuple[dict[str, list[int]], list[int]]:
    """Queries by the keys they are indexed under, and the queries that need no key."""
    index: dict[str, list[int]] = {}
    always: list[int] = []
    for number, root in enumerate(roots):
        needed = requirement(root, estimate)
        if needed is None:
            always.append(number)
        for key in sorted(needed[0]) if needed is not None else ():
            index.setdefault(key, []).append(number)
    return index, always


def _mentions_mark(mentioned: set[str], mark: str) -> bool:
    return any(key.startswith((mark, PREFIX + mark)) for key in mentioned)


class CompiledMatcher(Generic[MonitorId]):
    """Matches posts against many monitors at once; build it with `compile_monitors`."""

    def __init__(
        self, queries: Sequence[tuple[MonitorId, Query]], estimate: Estimate, native: bool | None = None
    ) -> None:
        entries = _ordered(list(queries))
        self.monitor_ids: tuple[MonitorId, ...] = tuple(monitor_id for monitor_id, _ in entries)
        if len(set(self.monitor_ids)) != len(self.monitor_ids):
            raise ValueError("monitor ids must be unique")
        self.queries: tuple[Query, ...] = tuple(query for _, query in entries)
        # Monitors with the same tree share one query ("distinct" below), evaluated once per post.
        distinct: dict[Node, list[int]] = {}
        for number, query in enumerate(self.queries):
            distinct.setdefault(query.root, []).append(number)
        roots = list(distinct)
        members = [tuple(numbers) for numbers in distinct.values()]
        mentioned = set().union(*map(mentioned_keys, roots)) if roots else set()
        index, always = _index(roots, weighted_by_mentions(estimate, roots))
        self._stats = {
            "distinct_queries": len(roots),
            "always_checked": len(always),
            "word_keys": sum(1 for key in index if key[0] not in (PREFIX, FIELD)),
            "prefix_keys": sum(1 for key in index if key[0] == PREFIX),
            "field_keys": sum(1 for key in index if key[0] == FIELD),
        }
        self._native: Any = None
        self._native_lock = threading.Lock()
        if native if native is not None else native_plan.available():
            self._native = native_plan.build(roots, members, index, always, mentioned, self.monitor_ids)
            mentioned, index, always = set(), {}, []  # the Python matcher below is left empty
        self._build_python(roots, members, mentioned, index, always)

    def _build_python(
        self,
        roots: list[Node],
        members: list[tuple[int, ...]],
        mentioned: set[str],
        index: dict[str, list[int]],
        always: list[int],
    ) -> None:
        """The pure-Python matcher: generated functions per index key, and the per-word cache."""
        self._wildcards = frozenset(key[1:] for key in mentioned if key.startswith(PREFIX))
        self._wildcard_lengths = tuple(sorted({len(wildcard) for wildcard in self._wildcards}))
        emitter = Emitter()
        templates = [
            emitter.function([(roots[q], members[q]) for q in numbers], key) for key, numbers in index.items()
        ]
        templates.append(emitter.function([(roots[q], members[q]) for q in always], ""))
        *functions, for_always = build(templates, f"<monitors of {type(self).__name__} {id(self):x}>")
        groups = dict(zip(index, functions, strict=True))
        self._words = {key: group for key, group in groups.items() if key[0] not in (PREFIX, FIELD)}
        self._prefixes = {key[1:]: group for key, group in groups.items() if key[0] == PREFIX}
        self._fields = {key: group for key, group in groups.items() if key[0] == FIELD}
        self._always: tuple[Group, ...] = (for_always,) if always else ()
        self._stats["compiled_functions"] = len(templates)
        self._stats["distinct_code"] = len({source for source, _ in templates})

        kinds = {key[1:].partition(":")[0] for key in self._fields}
        author = FIELD + "author:"
        self._authors = {
            key[len(author) :]: group for key, group in self._fields.items() if key.startswith(author)
        }
        self._shape_kinds = frozenset(kinds & _SHAPE_FIELDS.keys())
        shape_fields = [name for kind in sorted(self._shape_kinds) for name in _SHAPE_FIELDS[kind]]
        self._shape_of: Callable[[MatchablePost], object] | None = (
            operator.attrgetter(*shape_fields) if shape_fields else None
        )
        self._shapes: dict[object, tuple[Group, ...]] = {}  # field values -> their functions
        # Which forms of a word (plain, hashtag, mention) the queries mention, and every start of a wildcard.
        self._forms = tuple(mark for mark in ("", "#", "@") if mark == "" or _mentions_mark(mentioned, mark))
        self._stems = frozenset(card[:size] for card in self._wildcards for size in range(1, len(card) + 1))
        self._shortest = min(map(len, self._wildcards), default=0)
        # What was learned about the words of posts so far (see `_learn`).
        self._seen: set[str] = set()  # bare words learned
        self._boring: set[str] = set()  # bare words none of whose forms triggers anything
        # form -> (functions it triggers, its prefix marks), for forms that have either; and its keys.
        self._special: dict[str, tuple[tuple[Group, ...], tuple[str, ...]]] = {}
        self._special_forms: set[str] = set()

    def __len__(self) -> int:
        return len(self.monitor_ids)

    def stats(self) -> dict[str, int]:
        """Sizes of the index, for benchmarks and diagnostics."""
        return {
            "monitors": len(self.monitor_ids),
            "native": int(self._native is not None),
            **self._stats,
            "cached_words": len(self._seen),
        }

    def _prefix_marks(self, form: str) -> tuple[str, ...]:
        """The prefix marks a form (``"refunds"``, ``"#refundnow"``) earns from the queries' wildcards."""
        marks = []
        for size in range(self._shortest, len(form) + 1):
            start = form[:size]
            if start not in self._stems:
                break
            if start in self._wildcards:
                marks.append(PREFIX + start)
        return tuple(marks)

    def _learn(self, words: Iterable[str]) -> None:
        """Remember, for each new bare word, which functions each of its forms triggers, and its marks."""
        seen = self._seen
        if len(seen) > CACHE_LIMIT:
            for remembered in (seen, self._boring, self._special_forms, self._special, self._shapes):
                remembered.clear()
        for word in words:
            if word in seen:
                continue
            seen.add(word)
            boring = True
            for mark in self._forms:
                form = mark + word
                marks = self._prefix_marks(form) if self._shortest else ()
                found = [self._words[form]] if form in self._words else []
                found += [self._prefixes[mark[1:]] for mark in marks if mark[1:] in self._prefixes]
                if found or marks:
                    self._special[form] = (tuple(found), marks)
                    self._special_forms.add(form)
                boring = boring and not found
            if boring:
                self._boring.add(word)

    def _by_shape(self, post: MatchablePost, shape: object) -> tuple[Group, ...]:
        """Functions of the post's channel, language and flags (cached per combination)."""
        keys = post_field_keys(post, self._shape_kinds)
        found = self._shapes[shape] = tuple(self._fields[key] for key in keys if key in self._fields)
        return found

    def match_many(  # noqa: C901 (the batch hot loop, kept in one frame: bench match)
        self, posts: Iterable[MatchablePost]
    ) -> list[list[MonitorId]]:
        """The ids of the monitors each post matches, sorted, one list per post."""
        if self._native is not None:
            with self._native_lock:  # the C matcher keeps one post's state; threads take turns
                matched: list[list[MonitorId]] = self._native.match_many(posts)
            return matched
        results: list[list[MonitorId]] = []
        append = results.append
        seen, boring, special, special_forms = self._seen, self._boring, self._special, self._special_forms
        always, shape_of, shapes, authors = self._always, self._shape_of, self._shapes, self._authors
        ids = self.monitor_ids
        for post in posts:
            words, source = split_post(post.text)
            groups = always
            if shape_of is not None:
                shape = shape_of(post)
                by_shape = shapes.get(shape)
                if by_shape is None:
                    by_shape = self._by_shape(post, shape)
                groups += by_shape
            if authors:
                handle = post.author_handle
                handle = handle.lower().removeprefix("@") if handle.isascii() else normal_handle(handle)
                if handle in authors:
                    groups += (authors[handle],)
            keys = set(words)
            if keys <= boring:
                if not groups:  # the usual case: nothing to check
                    append([])
                    continue
            elif not keys <= seen:
                self._learn(keys)
            tokens = tokens_of(source)
            if tokens is not words:
                keys.update(tokens)
            for form in keys & special_forms:
                triggered, marks = special[form]
                groups += triggered
                keys.update(marks)
            if not groups:
                append([])
                continue
            numbers: tuple[int, ...] = ()
            for group in groups:
                numbers += group(keys, tokens, words, post)
            if not numbers:
                append([])
            elif len(numbers) == 1:
                append([ids[numbers[0]]])
            else:
                append([ids[number] for number in sorted(set(numbers))])
        return results

    def match(self, post: MatchablePost) -> list[MonitorId]:
        """The ids of the monitors the post matches, sorted."""
        return self.match_many((post,))[0]


def compile_monitors(
    monitors: Iterable[tuple[MonitorId, str | Query]],
    *,
    estimate: Estimate = default_estimate,
    native: bool | None = None,
) -> CompiledMatcher[MonitorId]:
    """Compile monitors (id, query text or parsed `Query`) into one matcher.

    Query text is checked with `validate_query`; a refused query raises `MonitorQueryError` naming the
    monitor. ``estimate`` (key -> share of posts holding it, see `requirements.estimate_from`) lets
    traffic statistics choose the rarest word of each AND. ``native`` chooses the C matcher (True) or
    the pure-Python one (False); by default the C one when it was built (`native_plan.available`).
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
    return CompiledMatcher(queries, estimate, native)
