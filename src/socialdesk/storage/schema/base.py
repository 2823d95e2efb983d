"""The metadata every table shares: naming convention, id type, the workspace column."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Integer, MetaData

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

# Integer keys that are BIGINT on PostgreSQL and INTEGER (rowid alias) on SQLite.
Id = BigInteger().with_variant(Integer(), "sqlite")
# Counts a network reports (followers), up to 2^63-1 in both databases (SQLite's INTEGER is 64-bit).
BigCount = BigInteger().with_variant(Integer(), "sqlite")


def _ws() -> Column[int]:
    return Column("workspace_id", Id, ForeignKey("workspaces.id"), nullable=False)
