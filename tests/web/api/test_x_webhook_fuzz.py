"""Signed but malformed X Account Activity bodies answer 200 (bad events reported) or 400, never 5xx.

Issue #14 item 8: a signed event with a missing or mistyped field answered 500 (KeyError,
TypeError, OverflowError from deep in the parser), and so did a batch with one such event in it.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.channels.support import load
from tests.channels.x.malformed import malformed_body
from tests.web.api.test_channels_api import Api, x_body
from tests.web.api.test_channels_api import api as api
from tests.web.api.test_webhooks_api import x_signed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_signed_malformed_events_never_answer_5xx(api: Api, data: st.DataObject) -> None:
    if not hasattr(api, "x_url"):
        api.x_url = f"/api/v1/webhooks/x/{api.add(x_body())['id']}"  # type: ignore[attr-defined]
    body = json.dumps(malformed_body(data)).encode()
    resp = api.client.post(api.x_url, content=body, headers=x_signed(body))  # type: ignore[attr-defined]
    assert resp.status_code in (200, 400), resp.text
    answer = resp.json()
    if resp.status_code == 400:
        assert answer["detail"]
    else:
        assert all(error["field"] and error["message"] for error in answer["errors"])


def test_one_bad_event_is_reported_and_the_good_one_stored(api: Api) -> None:
    url = f"/api/v1/webhooks/x/{api.add(x_body())['id']}"
    good = load("x", "aaa_tweet_create_events.json")["tweet_create_events"][0]
    bad = {**good, "id_str": "2", "user": {"id_str": 42}}
    body = json.dumps({"tweet_create_events": [bad, good]}).encode()
    resp = api.client.post(url, content=body, headers=x_signed(body))
    assert resp.status_code == 200, resp.text
    assert resp.json() == {
        "received": 2,
        "added": 1,
        "duplicates": 0,
        "errors": [
            {
                "index": 1,
                "field": "tweet_create_events.user.id_str",
                "message": "must be a non-empty string, not int",
            }
        ],
    }
    top = json.dumps({"tweet_create_events": {"oops": 1}}).encode()
    refused = api.client.post(url, content=top, headers=x_signed(top))
    assert refused.status_code == 400
    assert refused.json()["detail"] == "tweet_create_events: must be an array, not object"


def test_a_nul_in_a_signed_event_is_reported_not_a_500(api: Api) -> None:
    """PostgreSQL text cannot hold NUL: a signed event with one failed its whole request (500)."""
    url = f"/api/v1/webhooks/x/{api.add(x_body())['id']}"
    good = load("x", "aaa_tweet_create_events.json")["tweet_create_events"][0]
    body = json.dumps({"tweet_create_events": [{**good, "text": "a\x00b"}]}).encode()
    resp = api.client.post(url, content=body, headers=x_signed(body))
    assert resp.status_code == 200, resp.text
    [error] = resp.json()["errors"]
    assert (error["field"], resp.json()["added"]) == ("text", 0)
