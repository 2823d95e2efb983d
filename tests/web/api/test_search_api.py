"""Full-text search through the REST API: the inbox's `q` and the knowledge base's ranked `q` take
anything typed (syntax of FTS5 or tsquery included) and answer 200 with the matches, never a 500."""

from __future__ import annotations

import pytest

from tests.web.api.test_api import Api, _post
from tests.web.api.test_api import api as api

TYPED = ['"', '"unbalanced', "NEAR(a b)", "-x", "a:b", "*", "x*y*", "'", "\\", "AND OR NOT", "(", "é" * 200]


@pytest.mark.parametrize("typed", TYPED)
def test_hostile_search_text_is_answered_not_a_server_error(api: Api, typed: str) -> None:
    api.client.post("/api/v1/posts", json={"posts": [_post(1, "PANNE ÉCHEC")]}, headers=api.h())
    inbox = api.client.get("/api/v1/conversations", params={"q": typed}, headers=api.h())
    assert inbox.status_code == 200, inbox.text
    assert inbox.json()["items"] == []
    articles = api.client.get("/api/v1/kb/articles", params={"q": typed}, headers=api.h())
    assert articles.status_code == 200, articles.text


def test_inbox_search_folds_case_and_accents(api: Api) -> None:
    api.client.post(
        "/api/v1/posts", json={"posts": [_post(1, "PANNE ÉCHEC"), _post(2, "all good")]}, headers=api.h()
    )
    for typed in ("échec", "echec", "Panne", '"panne échec"', "pan*"):
        items = api.client.get("/api/v1/conversations", params={"q": typed}, headers=api.h()).json()["items"]
        assert [i["author_handle"] for i in items] == ["cust1"], typed


def test_article_search_is_ranked_best_first_with_its_score(api: Api) -> None:
    pairs = [("Refunds", "One échec."), ("PANNE ÉCHEC", "échec échec, panne"), ("Other", "Unrelated.")]
    for title, body in pairs:
        made = api.client.post("/api/v1/kb/articles", json={"title": title, "body": body}, headers=api.h())
        assert made.status_code in (200, 201), made.text
    found = api.client.get("/api/v1/kb/articles", params={"q": "ECHEC"}, headers=api.h()).json()
    assert [a["title"] for a in found] == ["PANNE ÉCHEC", "Refunds"]
    assert found[0]["score"] > found[1]["score"] > 0
    other = api.client.get("/api/v1/kb/articles", params={"q": "echec"}, headers=api.h(api.other_token))
    assert other.json() == []  # another workspace's articles
    nul = api.client.get("/api/v1/kb/articles", params={"q": "a\x00"}, headers=api.h())
    assert nul.status_code == 422
    assert "NUL" in nul.json()["detail"]
