"""Strict JSON for webhook bodies: a clear reason for every body that is not plain JSON (pure).

``json.loads`` alone lets through ``NaN`` and ``Infinity`` (no JSON, and no database or JSON
response can hold them later) and raises ``RecursionError`` for deeply nested input; both become
a :class:`BodyNotJson` here, which the receivers answer with 400.
"""

from __future__ import annotations

import json
from typing import Any


class BodyNotJson(ValueError):
    """``str(exc)`` says what is wrong with the body (safe to send back)."""


def _no_constant(name: str) -> Any:
    raise BodyNotJson(f"body is not plain JSON: {name} is not a JSON number")


def load_json_body(body: bytes) -> Any:
    try:
        return json.loads(body, parse_constant=_no_constant)
    except RecursionError:
        raise BodyNotJson("body is nested too deeply") from None
    except BodyNotJson:
        raise
    except (ValueError, UnicodeDecodeError):
        raise BodyNotJson("body is not JSON") from None
