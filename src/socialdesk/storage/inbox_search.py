"""The inbox's search condition: which conversations a typed search text finds (a message's text, or
the customer's handle or name), by the full-text indexes (storage/search_sql.py, docs/knowledge.md).

Two ways to find a page of 50 in the inbox's order, chosen per query: few matches are read from the
index first, then their conversations sorted; many (a common word) are checked conversation by
conversation in page order, so the database stops when the page is full.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Connection, any_, bindparam, exists, func, or_, select, union
from sqlalchemy.dialects.postgresql import ARRAY

from socialdesk.domain.search_query import SearchQuery, parse_search
from socialdesk.storage import schema as s
from socialdesk.storage import search_sql

# Below this many matching rows, a search reads every match first; above, it checks rows in page order.
FEW_MATCHES = 20_000


def text_condition(conn: Connection, workspace_id: int, typed: str) -> Any:
    """The text of a message, or the customer's handle ("@" optional) or name: by the full-text
    indexes (every word, any case and accents; phrases, prefixes; storage/search_sql.py). Words
    of the name and handle are prefixes ("jane" finds "JaneDoe77"). Text without any word (only
    punctuation, like "%") is looked for literally, as a substring."""
    c, m = s.conversations, s.messages
    parsed = parse_search(typed)
    if parsed.is_empty:
        pattern = "%" + _escape_like(typed.casefold()) + "%"
        return or_(
            func.lower(c.c.author_handle).like(pattern, escape="\\"),
            func.lower(c.c.author_name).like(pattern, escape="\\"),
            exists().where(
                m.c.workspace_id == workspace_id,
                m.c.conversation_id == c.c.id,
                func.lower(m.c.text).like(pattern, escape="\\"),
            ),
        )
    # Few matches: read them all first (the index), then their conversations. Many (a common
    # word): read conversations in the page's order and check each one's messages by id, so the
    # database stops when the page is full instead of reading hundreds of thousands of matches.
    dialect = conn.dialect.name
    people = parsed.all_prefixes()
    if dialect == "postgresql":
        return _postgres_condition(conn, workspace_id, parsed)
    few = search_sql.few_matching_ids(conn, m, parsed, FEW_MATCHES)
    expanded = _expanded(conn, m, parsed) if few is None else None
    if few is None and expanded is not None:
        text_found: Any = exists().where(
            m.c.workspace_id == workspace_id,
            m.c.conversation_id == c.c.id,
            search_sql.row_matches(dialect, m, m.c.id, parsed, "search_text", expanded),
        )
    elif few is None:  # a prefix of too many words: every match read first after all
        found_messages = select(m.c.conversation_id).where(
            m.c.workspace_id == workspace_id,
            m.c.id.in_(search_sql.matching_ids(dialect, m, parsed, "search_text")),
        )
        text_found = c.c.id.in_(found_messages)
    else:
        found_messages = select(m.c.conversation_id).where(
            m.c.workspace_id == workspace_id,
            m.c.id.in_(search_sql.id_set(conn, few, "search_text_ids")),
        )
        text_found = c.c.id.in_(found_messages)
    few_people = search_sql.few_matching_ids(conn, c, people, FEW_MATCHES)
    expanded_people = _expanded(conn, c, people) if few_people is None else None
    if few_people is None and expanded_people is not None:
        people_found = search_sql.row_matches(dialect, c, c.c.id, people, "search_people", expanded_people)
    elif few_people is None:
        people_found = c.c.id.in_(search_sql.matching_ids(dialect, c, people, "search_people"))
    else:
        people_found = c.c.id.in_(search_sql.id_set(conn, few_people, "search_people_ids"))
    return or_(text_found, people_found)


def _postgres_condition(conn: Connection, workspace_id: int, parsed: SearchQuery) -> Any:
    """On PostgreSQL: few matches (by the index's statistics) are read from the GIN index first;
    many are checked conversation by conversation in page order, each by a subquery the planner
    keeps per row (LIMIT 1), so the page stops when full instead of folding every message."""
    c, m = s.conversations, s.messages
    people = parsed.all_prefixes()
    common_text = search_sql.postgres_is_common(conn, m, parsed, FEW_MATCHES)
    common_people = search_sql.postgres_is_common(conn, c, people, FEW_MATCHES)
    found_texts = select(m.c.conversation_id).where(
        m.c.workspace_id == workspace_id,
        m.c.id.in_(search_sql.matching_ids("postgresql", m, parsed, "search_text")),
    )
    found_people = search_sql.matching_ids("postgresql", c, people, "search_people")
    if not common_text and not common_people:  # one small set of conversations, then the page
        # Read first and passed back as one array, so the planner looks each one up by key instead
        # of guessing the set's size and walking the inbox order past every conversation.
        ids = [int(r[0]) for r in conn.execute(union(found_texts, found_people))]
        wanted = bindparam("search_conversation_ids", ids, type_=ARRAY(BigInteger))
        return c.c.id == any_(wanted)  # = ANY(array): the planner knows its length
    if common_text:
        first = (
            select(m.c.id)
            .where(
                m.c.workspace_id == workspace_id,
                m.c.conversation_id == c.c.id,
                search_sql.row_matches("postgresql", m, m.c.id, parsed, "search_text"),
            )
            .limit(1)
            .scalar_subquery()
        )
        text_found: Any = first.is_not(None)
    else:
        text_found = c.c.id.in_(found_texts)
    if common_people:
        people_found = search_sql.row_matches("postgresql", c, c.c.id, people, "search_people")
    else:
        people_found = c.c.id.in_(found_people)
    return or_(text_found, people_found)


def _expanded(conn: Connection, table: Any, query: SearchQuery) -> str | None:
    if conn.dialect.name != "sqlite":
        return None
    return search_sql.expanded_fts5_expression(conn, table, query)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
