"""Full-text search in SQL: a parsed query (domain/search_query.py) as a safe FTS5 MATCH expression on
SQLite or a tsquery on PostgreSQL, and the conditions and rankings the repositories use.

The indexes (migration 0018): on SQLite, FTS5 tables `<table>_fts` with external content (the rows
stay in their table) kept current by triggers in the writing transaction; on PostgreSQL, GIN indexes
on `to_tsvector('simple', socialdesk_fold(<document>))`, which the database keeps current itself. The
expressions below are the indexes' own, term for term, so that the planner uses them.

Safety: every word is a run of letters and digits (the parser keeps nothing else), quoted as an FTS5
string or a tsquery lexeme, so no typed character is ever syntax. Typed text is always a bound
parameter.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    Table,
    Text,
    bindparam,
    cast,
    exists,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.sql.expression import TextClause

from socialdesk.domain.search_query import SearchQuery, Term
from socialdesk.storage import key_sets
from socialdesk.storage import schema as s

__all__ = [
    "SEARCH_INDEXES",
    "SEARCH_TABLES",
    "expanded_fts5_expression",
    "few_matching_ids",
    "fts5_expression",
    "id_set",
    "is_search_object",
    "matching_ids",
    "postgres_is_common",
    "rank_order",
    "row_matches",
    "tsquery_text",
]

# The FTS5 tables (each with its shadow tables `<name>_data`, `_idx`, `_docsize`, `_config`), which
# the declared schema does not hold (SQLAlchemy cannot declare a virtual table).
SEARCH_TABLES = ("messages_fts", "conversations_fts", "kb_articles_fts")
# The PostgreSQL GIN indexes (on an expression, which the declared schema does not hold either).
SEARCH_INDEXES = ("ix_messages_search", "ix_conversations_search", "ix_kb_articles_search")


def is_search_object(name: str | None) -> bool:
    """True for the full-text index's tables and indexes, which schema comparisons leave out."""
    if name is None:
        return False
    return name in SEARCH_INDEXES or any(name == t or name.startswith(t + "_") for t in SEARCH_TABLES)


def fts5_expression(query: SearchQuery) -> str:
    """`"w1 w2" AND "w3"*`: each term an FTS5 string (a phrase), a prefix marked by `*` after it."""
    return " AND ".join(_fts5_term(t) for t in query.terms)


def _fts5_term(term: Term) -> str:
    quoted = '"' + " ".join(w.replace('"', '""') for w in term.words) + '"'
    return quoted + "*" if term.prefix else quoted


def tsquery_text(query: SearchQuery) -> str:
    """`'w1' <-> 'w2' & 'w3':*`: each term a phrase of quoted lexemes, a prefix marked by `:*`."""
    return " & ".join("(" + _ts_term(t) + ")" for t in query.terms)


def _ts_term(term: Term) -> str:
    lexemes = ["'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in term.words]
    if term.prefix:
        lexemes[-1] += ":*"
    return " <-> ".join(lexemes)


# The documents, as the PostgreSQL indexes hold them (migration 0018), term for term: the space is a
# literal, as in the index (a bound parameter there would not match it, and the index would go unused).
_SPACE = literal_column("' '", Text)


def _document(table: Table) -> ColumnElement[Any]:
    c = table.c
    if table is s.messages:
        body: ColumnElement[Any] = c.text
    elif table is s.conversations:
        body = c.author_handle.op("||")(_SPACE).op("||")(c.author_name)
    else:
        body = c.title.op("||")(_SPACE).op("||")(c.body).op("||")(_SPACE).op("||")(cast(c.questions, Text))
    return func.to_tsvector(literal_column("'simple'::regconfig"), func.socialdesk_fold(body))


def _tsquery(name: str, query: SearchQuery) -> ColumnElement[Any]:
    typed = bindparam(name, tsquery_text(query), type_=Text)
    return func.to_tsquery(literal_column("'simple'::regconfig"), func.socialdesk_fold(typed))


def matching_ids(dialect: str, table: Table, query: SearchQuery, name: str) -> Any:
    """A subquery of the ids of `table`'s rows the query matches (use with `column.in_(...)`);
    `name` names its bound parameter (unique within a statement)."""
    if dialect == "sqlite":
        fts = table.name + "_fts"
        select_ids = f"SELECT rowid FROM {fts} WHERE {fts} MATCH :{name}"  # noqa: S608 (our names)
        clause: TextClause = text(select_ids).bindparams(bindparam(name, fts5_expression(query), type_=Text))
        return clause
    return select(table.c.id).where(_document(table).op("@@")(_tsquery(name, query)))


PREFIX_EXPANSION_MAX = 64


def expanded_fts5_expression(conn: Connection, table: Table, query: SearchQuery) -> str | None:
    """The FTS5 expression with each one-word prefix replaced by the indexed words it starts, joined
    by OR (read from the index's vocabulary table): FTS5 answers a prefix by merging every such
    word's list of rows, on each evaluation, which is dear when rows are checked one by one. None
    when a prefix starts more than PREFIX_EXPANSION_MAX words, or ends a phrase."""
    parts = []
    vocab = table.name + "_fts_vocab"
    for term in query.terms:
        if not term.prefix:
            parts.append(_fts5_term(term))
            continue
        if len(term.words) > 1:
            return None
        start = _fold_like_unicode61(term.words[0])
        words = [
            str(r[0])
            for r in conn.execute(
                text(f"SELECT term FROM {vocab} WHERE term >= :start AND term < :end LIMIT :n"),  # noqa: S608
                {"start": start, "end": start + "\U0010ffff", "n": PREFIX_EXPANSION_MAX + 1},
            )
        ]
        if len(words) > PREFIX_EXPANSION_MAX:
            return None
        if not words:
            return '"' + start.replace('"', '""') + '"'  # nothing starts so: matches nothing
        parts.append("(" + " OR ".join('"' + w.replace('"', '""') + '"' for w in words) + ")")
    return " AND ".join(parts)


def _fold_like_unicode61(word: str) -> str:
    """A word as FTS5's tokenizer `unicode61 remove_diacritics 2` indexes it: lower case, without
    combining accents."""
    parts = unicodedata.normalize("NFKD", word.lower())
    return unicodedata.normalize("NFC", "".join(c for c in parts if not unicodedata.combining(c)))


def row_matches(
    dialect: str, table: Table, row_id: Any, query: SearchQuery, name: str, expression: str | None = None
) -> Any:
    """A condition on one row (its id `row_id`, usually a correlated column): it matches the query.
    For queries matching many rows, read in another index's order until a page is full (see
    `few_matching_ids`): each row is checked by its id instead of every match being read first."""
    if dialect == "postgresql":
        return _document(table).op("@@")(_tsquery(name, query))
    fts = table.name + "_fts"
    return exists(
        select(literal_column("1"))
        .select_from(text(fts))
        .where(
            literal_column(fts).op("MATCH")(
                bindparam(name, expression or fts5_expression(query), type_=Text)
            ),
            literal_column(f"{fts}.rowid") == row_id,
        )
    )


_INDEX_OF = {"messages": "ix_messages_search", "conversations": "ix_conversations_search"}


def postgres_is_common(conn: Connection, table: Table, query: SearchQuery, cap: int) -> bool:
    """Whether more than `cap` rows of `table` likely match, from the statistics ANALYZE keeps on the
    GIN index's expression (its most common lexemes and their frequencies): no probe, which on
    PostgreSQL would fold and parse rows one by one. Without statistics (never analyzed): not common
    (the index is read, which is right for the small tables that have none yet)."""
    found = conn.execute(
        text(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
            "FROM pg_stats AS s JOIN pg_class AS c ON c.relname = s.tablename "
            "WHERE s.tablename = :index"
        ),
        {"index": _INDEX_OF[table.name]},
    ).first()
    if found is None or found[0] is None or found[1] is None:
        return False
    elems: list[str] = found[0]
    freqs: list[float] = found[1]
    rows = max(float(found[2] or 0), 0.0)
    # A word missing from the list is rarer than every listed one, which says little on a table
    # with few common words (names): it counts as rare, and the index is read first.
    frequency = dict(zip(elems, freqs, strict=False))
    share = 1.0
    for term in query.terms:
        words = [_fold_like_postgres(w) for w in term.words]
        shares = [frequency.get(w, 0.0) for w in words[:-1]]
        if term.prefix:
            shares.append(min(1.0, sum(f for e, f in frequency.items() if e.startswith(words[-1]))))
        else:
            shares.append(frequency.get(words[-1], 0.0))
        share *= min(shares)  # a phrase: its rarest word; terms: independent (every one must match)
    return share * rows > cap


def _fold_like_postgres(word: str) -> str:
    """A word as `socialdesk_fold` and the 'simple' configuration index it (near enough to estimate)."""
    return _fold_like_unicode61(word).replace("ß", "ss")


def few_matching_ids(conn: Connection, table: Table, query: SearchQuery, cap: int) -> list[int] | None:
    """The ids of `table`'s rows (all workspaces) the query matches, when there are at most `cap`;
    None when there are more. Few: the caller looks the rows up by these ids (`id_set`), the index
    read once. Many (a common word): a page is better found by reading rows in the page's order and
    checking each one (`row_matches`) than by reading every match first."""
    source = _match_source(conn.dialect.name, table, query)
    ids = [int(r[0]) for r in conn.execute(select(source.c[0]).limit(cap + 1))]
    return ids if len(ids) <= cap else None


def id_set(conn: Connection, ids: list[int], name: str) -> Any:
    """A subquery of the given ids, as one bound parameter (use with `column.in_(...)`)."""
    rows, params = key_sets.values(conn, ids, name)
    return text(f"SELECT k1 FROM {rows} AS {name}_rows").bindparams(**params)  # noqa: S608 (bound values)


def _match_source(dialect: str, table: Table, query: SearchQuery) -> Any:
    ids = matching_ids(dialect, table, query, "search_probe")
    if isinstance(ids, TextClause):
        return ids.columns(rowid=s.Id).subquery("search_probe_ids")
    return ids.subquery("search_probe_ids")


def rank_order(dialect: str, table: Table, query: SearchQuery, name: str) -> tuple[Any, Any]:
    """(a select of `id` and `score` for the matching rows, best first when ordered by `score`
    descending): BM25 on SQLite (negated: FTS5's smaller is better), ts_rank on PostgreSQL."""
    if dialect == "sqlite":
        fts = table.name + "_fts"
        ranked = f"SELECT rowid AS id, -bm25({fts}) AS score FROM {fts} WHERE {fts} MATCH :{name}"  # noqa: S608
        clause = (
            text(ranked)
            .bindparams(bindparam(name, fts5_expression(query), type_=Text))
            .columns(id=s.Id, score=Float)
            .subquery(f"{name}_hits")
        )
        return clause, clause.c.score
    tsq = _tsquery(name, query)
    document = _document(table)
    hits = (
        select(table.c.id.label("id"), func.ts_rank(document, tsq).label("score"))
        .where(document.op("@@")(tsq))
        .subquery(f"{name}_hits")
    )
    return hits, hits.c.score
