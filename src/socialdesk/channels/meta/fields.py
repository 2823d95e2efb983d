"""Checked reads of the fields of a Meta webhook body (pure): each names its path when it fails."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

_KINDS: dict[type, str] = {dict: "object", list: "array", str: "string", type(None): "null", bool: "boolean"}
_MS_THRESHOLD = 100_000_000_000  # a Unix time above this is in milliseconds (seconds reach it in 5138)


class MalformedWebhook(ValueError):
    """A field is not what Meta sends: ``path`` and ``problem`` say which."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def kind(value: Any) -> str:
    return _KINDS.get(type(value), type(value).__name__)


def obj(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MalformedWebhook(path, f"must be an object, not {kind(value)}")
    return value


def array(value: Any, path: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise MalformedWebhook(path, f"must be an array, not {kind(value)}")
    return value


def text(holder: dict[str, Any], key: str, path: str, *, required: bool = False) -> str | None:
    value = holder.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value):
        wanted = "a non-empty string" if required else "a string"
        raise MalformedWebhook(f"{path}.{key}", f"must be {wanted}, not {kind(value)}")
    return value


def ident(holder: dict[str, Any], key: str, path: str, *, required: bool = True) -> str | None:
    """A Graph id: Meta sends them as strings of digits (and ``_``), sometimes as JSON numbers."""
    value = holder.get(key)
    if value is None and not required:
        return None
    if type(value) is int and value >= 0:
        return str(value)
    if isinstance(value, str) and value and len(value) <= 200 and value.isprintable() and " " not in value:
        return value
    raise MalformedWebhook(f"{path}.{key}", f"must be a Graph id (a non-empty string), not {kind(value)}")


def moment(value: Any, path: str) -> str:
    """A Unix time in seconds or milliseconds (Meta uses both), or an ISO 8601 string, as ISO 8601 UTC."""
    try:
        if type(value) is int and value >= 0:
            seconds = value / 1000 if value > _MS_THRESHOLD else float(value)
            when = datetime.fromtimestamp(seconds, UTC)
        elif isinstance(value, str) and value:
            when = datetime.fromisoformat(value.replace("Z", "+00:00").replace("+0000", "+00:00"))
            if when.tzinfo is None:
                raise ValueError(value)
            when = when.astimezone(UTC)
        else:
            raise ValueError(value)
    except (ValueError, OverflowError, OSError):
        raise MalformedWebhook(
            path, "must be a Unix time (seconds or milliseconds) or an ISO 8601 time"
        ) from None
    if not 1970 <= when.year <= 9999:
        raise MalformedWebhook(path, f"year {when.year} is outside 1970-9999")
    return when.isoformat()
