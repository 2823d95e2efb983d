"""Hypothesis strategies for X Account Activity bodies with malformed parts (shared by the pure
reader's tests and the signed-webhook API tests)."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

from tests.channels.support import load

json_values: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["", "0", "1712164800000", "Wed Apr 03 17:05:12 +0000 0001", "message_create"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


def activity_body() -> dict[str, Any]:
    """One body with a tweet, two DMs and their users, all well formed (from the fixtures)."""
    tweets = load("x", "aaa_tweet_create_events.json")
    dms = load("x", "aaa_direct_message_events.json")
    return {**tweets, "direct_message_events": dms["direct_message_events"], "users": dms["users"]}


def _mutated(value: Any, data: st.DataObject) -> Any:
    if isinstance(value, dict) and value and data.draw(st.integers(0, 3)) > 0:
        key = data.draw(st.sampled_from(sorted(value)))
        if data.draw(st.integers(0, 4)) == 0:
            return {k: v for k, v in value.items() if k != key}
        return {**value, key: _mutated(value[key], data)}
    if isinstance(value, list) and value and data.draw(st.integers(0, 3)) > 0:
        index = data.draw(st.integers(0, len(value) - 1))
        return [*value[:index], _mutated(value[index], data), *value[index + 1 :]]
    return data.draw(json_values)


def malformed_body(data: st.DataObject) -> dict[str, Any]:
    """A well-formed body with one to three of its parts replaced or dropped, at any depth."""
    body: Any = copy.deepcopy(activity_body())
    for _ in range(data.draw(st.integers(1, 3))):
        body = _mutated(body, data)
    return body if isinstance(body, dict) else {"tweet_create_events": body}
