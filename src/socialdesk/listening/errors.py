"""Why a query is refused: a syntax error at a column, or a query that can match nothing/everything."""

from __future__ import annotations

from typing import Literal


class QueryError(ValueError):
    """Base of query errors. ``message`` says what is wrong; ``column`` (1-based) where, when known."""

    def __init__(self, message: str, column: int | None = None) -> None:
        self.message = message
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.column is None:
            return self.message
        separator = ", " if ", like " in self.message else " "
        return f"{self.message}{separator}at column {self.column}"


class QuerySyntaxError(QueryError):
    """The text is not a query: ``str(error)`` is like ``unbalanced parenthesis at column 17``."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message, column)
        self.column: int = column


Verdict = Literal["can match nothing", "matches everything"]


class QueryRejectedError(QueryError):
    """The query parses but is useless: it ``can match nothing`` or ``matches everything``."""

    def __init__(self, verdict: Verdict, reason: str) -> None:
        self.verdict: Verdict = verdict
        self.reason = reason
        super().__init__(f"this query {verdict}: {reason}")
