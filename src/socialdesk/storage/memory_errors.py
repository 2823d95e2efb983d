"""The in-memory twin's database errors."""

from __future__ import annotations


class IntegrityError(Exception):
    """A unique key was violated (the in-memory twin of the database's error)."""
