"""Errors the domain raises; adapters turn them into 4xx answers or CLI messages."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: a rule of the domain was broken."""


class InvalidTransition(DomainError):
    """A case was asked to move to a status it cannot reach from where it is."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"a case cannot go from {current} to {target}")
        self.current = current
        self.target = target


class NotFound(DomainError):
    """The thing does not exist, or is not visible to the one asking (same answer on purpose)."""


class PermissionDenied(DomainError):
    """The user is known but may not do this."""


class ValidationFailed(DomainError):
    """Input broke a rule; the message says which and where."""
