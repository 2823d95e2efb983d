"""Full-text search, and where a knowledge-base article came from (a sent reply, a community answer).

Full-text search: FTS5 tables on SQLite and tsvector GIN indexes on PostgreSQL over message text,
the customer's handle and name on conversations, and knowledge-base articles (title, body, questions),
kept current in the same transaction as each write (triggers on SQLite; on PostgreSQL the indexes are
on an expression, which the database maintains itself). Existing rows are indexed here (backfill).

Folding, the same on both: case and accents ("échec" finds "PANNE ÉCHEC"). SQLite's tokenizer
`unicode61 remove_diacritics 2` does it; on PostgreSQL `socialdesk_fold(text)` does (translate() of
the Latin letters with a decomposition into their base letter, then lower(), then ß to ss), built
here from Python's Unicode tables: no `unaccent` extension is needed (managed servers and least
privileged roles cannot always create one, and its rules differ from SQLite's).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 23:10:00

"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# (table, FTS5 columns, trigger condition columns, PostgreSQL document expression)
_SQLITE = (
    ("messages", ("text",)),
    ("conversations", ("author_handle", "author_name")),
    ("kb_articles", ("title", "body", "questions")),
)
_POSTGRES = (
    ("ix_messages_search", "messages", "text"),
    ("ix_conversations_search", "conversations", "author_handle || ' ' || author_name"),
    ("ix_kb_articles_search", "kb_articles", "title || ' ' || body || ' ' || CAST(questions AS text)"),
)


def _folding() -> tuple[str, str]:
    """Every Latin letter that decomposes into an ASCII letter and combining marks, and that letter
    (lower case); plus a few letters with a stroke, which have no decomposition."""
    source, target = [], []
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        parts = unicodedata.normalize("NFKD", char)
        base = parts[0]
        if (
            len(parts) > 1
            and base.isascii()
            and base.isalpha()
            and all(unicodedata.combining(p) for p in parts[1:])
        ):
            source.append(char)
            target.append(base.lower())
    for char, base in zip("øØđĐłŁħĦı", "ooddllhhi", strict=True):
        source.append(char)
        target.append(base)
    return "".join(source), "".join(target)


def upgrade() -> None:
    # Where an article came from (a sent reply saved as an answer, a community answer) and its thread.
    op.add_column("kb_articles", sa.Column("source", sa.String(length=16), nullable=True))
    with op.batch_alter_table("kb_articles") as batch:
        batch.add_column(sa.Column("source_conversation_id", _ID, nullable=True))
        batch.create_foreign_key(
            "fk_kb_articles_source_conversation_id_conversations",
            "conversations",
            ["source_conversation_id"],
            ["id"],
        )
    _full_text_upgrade()


def _full_text_upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table, columns in _SQLITE:
            names = ", ".join(columns)
            new = ", ".join(f"new.{c}" for c in columns)
            old = ", ".join(f"old.{c}" for c in columns)
            fts = f"{table}_fts"
            op.execute(
                f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{table}', content_rowid='id', "
                "tokenize='unicode61 remove_diacritics 2')"
            )
            # (Names from the tuples above, never input.)
            insert = f"INSERT INTO {fts} (rowid, {names}) VALUES (new.id, {new});"  # noqa: S608
            delete = f"INSERT INTO {fts} ({fts}, rowid, {names}) VALUES ('delete', old.id, {old});"  # noqa: S608
            op.execute(f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END")
            op.execute(f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END")
            op.execute(
                f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {names} ON {table} BEGIN {delete} {insert} END"
            )
            # Its vocabulary (term, documents, occurrences): a prefix is expanded into the words it
            # starts before a search checks rows one by one (storage/search_sql.py).
            op.execute(f"CREATE VIRTUAL TABLE {fts}_vocab USING fts5vocab({fts}, row)")
            op.execute(f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')")  # noqa: S608 (the rows already there)
        return
    source, target = _folding()
    op.execute(
        "CREATE FUNCTION socialdesk_fold(value text) RETURNS text LANGUAGE sql IMMUTABLE STRICT "
        f"PARALLEL SAFE AS $$ SELECT replace(lower(translate(value, '{source}', '{target}')), 'ß', 'ss') $$"
    )
    for index, table, document in _POSTGRES:
        op.execute(
            f"CREATE INDEX {index} ON {table} USING gin "
            f"(to_tsvector('simple'::regconfig, socialdesk_fold({document})))"
        )
        # Statistics on the indexed expression (its most common words): the inbox search reads them
        # to choose between reading the index first and checking conversations in page order.
        op.execute(f"ANALYZE {table}")


def downgrade() -> None:
    _full_text_downgrade()
    with op.batch_alter_table("kb_articles") as batch:
        batch.drop_constraint("fk_kb_articles_source_conversation_id_conversations", type_="foreignkey")
        batch.drop_column("source_conversation_id")
        batch.drop_column("source")


def _full_text_downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table, _columns in _SQLITE:
            for event in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER {table}_fts_{event}")
            op.execute(f"DROP TABLE {table}_fts_vocab")
            op.execute(f"DROP TABLE {table}_fts")
        return
    for index, _table, _document in _POSTGRES:
        op.execute(f"DROP INDEX {index}")
    op.execute("DROP FUNCTION socialdesk_fold(text)")
