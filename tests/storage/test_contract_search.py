"""The inbox's text search (`ConversationQuery.text`) as SQL does it, on SQLite and PostgreSQL: by the
full-text indexes (FTS5, tsvector; storage/search_sql.py), which fold case and accents the same way
on both. The three gaps the old `lower() LIKE` had with non-ASCII text (pinned here as strict expected
failures before) are closed.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Connection, text

from socialdesk.ports import ConversationQuery, NewConversation, UnitOfWork
from socialdesk.storage import inbox_search, search_sql
from tests.storage.test_contract import T0, Factory, _conversation, _message


@pytest.fixture(autouse=True, params=["read_all_matches", "check_in_page_order"])
def _strategy(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs both ways a search is done: reading every match first (few matches), and
    checking conversations one by one in page order (a common word: more than FEW_MATCHES)."""
    if request.param == "check_in_page_order":
        monkeypatch.setattr(inbox_search, "FEW_MATCHES", 0)
        monkeypatch.setattr(search_sql, "postgres_is_common", lambda *_args: True)


STORED = "ÉMILE a écrit: la Straße est GESPERRT"


def _stored(uow_factory: Factory) -> tuple[int, int]:
    """A workspace with one conversation holding STORED and one without it."""
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        found = _conversation(uow, ws)
        uow.messages.add_many(ws, [_message(found, "m1", STORED)])
        other = _conversation(uow, ws)
        uow.messages.add_many(ws, [_message(other, "m2", "nothing to see")])
        uow.commit()
    return ws, found


def _ids(uow_factory: Factory, ws: int, text: str) -> list[int]:
    with uow_factory() as uow:
        return [r.conversation.id for r in uow.conversations.query(ws, ConversationQuery(text=text))]


def test_search_ignores_the_case_of_what_is_typed(uow_factory: Factory) -> None:
    ws, found = _stored(uow_factory)
    assert _ids(uow_factory, ws, "gesperrt") == [found]  # ASCII: either case finds the other
    assert _ids(uow_factory, ws, "a ÉCRIT") == [found]  # typed non-ASCII capitals find lower case
    assert _ids(uow_factory, ws, "écrit") == [found]
    assert _ids(uow_factory, ws, "ecrit") == [found]  # accents are folded away too
    assert _ids(uow_factory, ws, "ÉCRÍT") == [found]


def test_search_finds_capitalised_non_ascii_text(uow_factory: Factory) -> None:
    ws, found = _stored(uow_factory)
    assert _ids(uow_factory, ws, "ÉMILE") == [found]  # exactly as stored
    assert _ids(uow_factory, ws, "émile") == [found]
    assert _ids(uow_factory, ws, "emile") == [found]


def test_search_finds_text_as_typed_when_folding_changes_its_letters(uow_factory: Factory) -> None:
    ws, found = _stored(uow_factory)
    assert _ids(uow_factory, ws, "Straße") == [found]
    assert _ids(uow_factory, ws, "STRAßE") == [found]


def _world(uow_factory: Factory, texts: dict[str, str]) -> tuple[int, dict[str, int]]:
    """One conversation per text, by name."""
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        ids = {}
        for name, body in texts.items():
            ids[name] = _conversation(uow, ws)
            uow.messages.add_many(ws, [_message(ids[name], name, body)])
    return ws, ids


def test_a_quoted_phrase_needs_its_words_together_and_in_order(uow_factory: Factory) -> None:
    ws, c = _world(
        uow_factory,
        {"yes": "the PANNE ÉCHEC again", "apart": "échec of the panne", "reversed": "échec panne"},
    )
    assert sorted(_ids(uow_factory, ws, "panne échec")) == sorted(c.values())  # words: any order
    assert _ids(uow_factory, ws, '"panne echec"') == [c["yes"]]
    assert _ids(uow_factory, ws, '"échec panne"') == [c["reversed"]]


def test_a_star_makes_a_prefix_and_plain_words_match_whole_words(uow_factory: Factory) -> None:
    ws, c = _world(uow_factory, {"long": "Refunded twice", "short": "no refund yet", "other": "refurbished"})
    assert _ids(uow_factory, ws, "refund") == [c["short"]]
    assert sorted(_ids(uow_factory, ws, "refund*")) == sorted([c["long"], c["short"]])
    assert sorted(_ids(uow_factory, ws, "REF*")) == sorted(c.values())
    assert _ids(uow_factory, ws, '"no ref"*') == [c["short"]]  # a phrase whose last word is a prefix


# What is typed, and whether it finds the conversation holding "PANNE ÉCHEC (NEAR the router) x y".
HOSTILE = [
    ('"', False),
    ('""', False),
    ('"unbalanced panne', False),  # a phrase running to the end
    ("panne*ÉCHEC", True),  # a phrase: the two words together
    ("*", False),
    ("***", False),
    ("panne NEAR échec", True),  # NEAR is a word like any other
    ("NEAR(panne échec, 2)", False),  # the phrase "near panne" is not there
    ("-panne", True),
    ("panne -échec", True),
    ("text:panne", False),  # no column filters: the phrase "text panne"
    ("messages_fts:panne", False),
    ("^panne", True),
    ("panne AND", False),  # the word "and" is not there
    ("OR panne", False),
    ("NOT", False),
    ("(panne", True),
    ("panne)", True),
    ("panne & échec | !x <-> y", True),
    ("'panne'", True),
    ("\\panne\\", True),
    ("panne:*", True),
    ("{text}: panne", False),
    ("p" * 5000, False),
    ("é" * 300 + "*", False),
    (" ".join(["panne"] * 200), True),
    ("panne\u200bÉCHEC", True),  # a zero-width space separates words
    ("\ud83d\ude00 panne", True),
]


@pytest.mark.parametrize(("typed", "finds"), HOSTILE)
def test_search_syntax_typed_by_anyone_is_text_never_an_error(
    uow_factory: Factory, typed: str, finds: bool
) -> None:
    """Characters and words that are syntax to FTS5 or tsquery are parsed by our own parser into
    quoted words: nothing raises, and the words find what they should."""
    ws, c = _world(uow_factory, {"hit": "PANNE ÉCHEC (NEAR the router) x y", "miss": "nothing here"})
    assert _ids(uow_factory, ws, typed) == ([c["hit"]] if finds else [])


def _sql(uow: UnitOfWork) -> Connection:
    """The unit of work's connection (no repository deletes messages; the trigger must still follow)."""
    conn = uow.messages.conn  # type: ignore[attr-defined]
    assert isinstance(conn, Connection)
    return conn


class _RolledBack(Exception):
    pass


def _then_roll_back(uow_factory: Factory, change: Callable[[UnitOfWork], None]) -> None:
    """`change` (which checks what it sees) in a unit of work that then fails and rolls back."""
    try:
        with uow_factory() as uow:
            change(uow)
            raise _RolledBack
    except _RolledBack:
        pass


def test_the_index_follows_edits_and_deletes_in_the_same_transaction(uow_factory: Factory) -> None:
    """An edit or a delete is searchable at once in its own transaction, and a rollback takes the
    index back with the row."""
    ws, c = _world(uow_factory, {"first": "router broken"})
    with uow_factory() as uow:
        [message] = uow.messages.list_for_conversation(ws, c["first"])

    def found(uow: UnitOfWork, typed: str) -> list[int]:
        return [r.conversation.id for r in uow.conversations.query(ws, ConversationQuery(text=typed))]

    def edit(uow: UnitOfWork) -> None:
        uow.messages.set_outbound(ws, message.id, "modem exploded", "received")
        assert found(uow, "modem") == [c["first"]]
        assert found(uow, "router") == []

    def delete(uow: UnitOfWork) -> None:
        _sql(uow).execute(text("DELETE FROM messages WHERE id = :m"), {"m": message.id})
        assert found(uow, "modem") == []

    _then_roll_back(uow_factory, edit)
    assert _ids(uow_factory, ws, "router") == [c["first"]]
    assert _ids(uow_factory, ws, "modem") == []
    with uow_factory() as uow:
        edit(uow)
    assert _ids(uow_factory, ws, "modem") == [c["first"]]
    assert _ids(uow_factory, ws, "router") == []
    _then_roll_back(uow_factory, delete)
    assert _ids(uow_factory, ws, "modem") == [c["first"]]
    with uow_factory() as uow:
        delete(uow)
    assert _ids(uow_factory, ws, "modem") == []


def test_a_customer_is_found_by_the_start_of_their_handle_or_name_words(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        [cid] = uow.conversations.add_many(
            ws, [NewConversation("x", None, "s", T0, T0, T0, 1, "JaneDoe77", "Zoë Lefèvre", 1, "hi", 0)]
        )
        other = _conversation(uow, ws)
    for typed in ("@JaneDoe77", "janedoe", "zoe", "ZOË LEF", "lefevre"):
        assert _ids(uow_factory, ws, typed) == [cid], typed
    assert other not in _ids(uow_factory, ws, "carolx")


def test_a_prefix_of_many_words_still_finds_them_all(uow_factory: Factory) -> None:
    """A prefix starting more words than are expanded for row-by-row checks (SQLite) is answered by
    reading every match first: nothing is lost either way."""
    many = {f"c{i}": f"zq{i:03d}word here" for i in range(70)}
    ws, c = _world(uow_factory, {**many, "other": "zz top"})
    with uow_factory() as uow:
        found = uow.conversations.query(ws, ConversationQuery(text="zq*", limit=100))
    assert sorted(r.conversation.id for r in found) == sorted(c[name] for name in many)
