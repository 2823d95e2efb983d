"""What a database error means to the callers that retry: the driver's errors stay in storage."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, OperationalError


def database_away(exc: BaseException) -> bool:
    """A lost or refused connection (try again later), as opposed to a bad post."""
    return isinstance(exc, OperationalError) or (isinstance(exc, DBAPIError) and exc.connection_invalidated)
