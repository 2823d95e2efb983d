"""`socialdesk kb import` and `kb suggest` end to end on a migrated SQLite database (docs/knowledge.md)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from socialdesk.cli.main import app

ARTICLES = [
    {
        "id": "refund-1",
        "title": "How to get a refund",
        "body": "Open **Orders**, pick the order, choose *Refund*.",
        "questions": ["how do I get my money back", "refund my order please"],
        "tags": ["billing"],
        "language": "en",
    },
    {
        "id": "pwd",
        "title": "Reset your password",
        "body": "Use the forgot password link.",
        "questions": ["I can't log in", "forgot my password"],
        "language": "en",
    },
    {
        "id": 7,
        "title": "Échec de paiement",
        "body": "Votre carte a été refusée.",
        "questions": ["paiement refusé"],
        "language": "fr",
    },
]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _import(runner: CliRunner, path: Path, url: str, *extra: str) -> tuple[int, dict[str, int], str]:
    result = runner.invoke(app, ["kb", "import", str(path), "-w", "acme", "--db", url, *extra])
    return result.exit_code, json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


def test_import_is_idempotent_by_id_and_reports_bad_lines_by_number_keeping_good_ones(
    sqlite_url: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    lines = [
        json.dumps(ARTICLES[0]),
        "{oops",
        json.dumps(ARTICLES[1]),
        '{"id": "x", "body": "no title"}',
        json.dumps(ARTICLES[2]),
    ]
    path = _write(tmp_path / "articles.jsonl", lines)
    code, summary, err = _import(runner, path, sqlite_url)
    assert code == 1
    assert summary == {"read": 5, "created": 3, "updated": 0, "unchanged": 0, "bad": 2}
    assert f"{path}: line 2: not JSON" in err
    assert f"{path}: line 4: title: missing" in err
    code, summary, _ = _import(runner, path, sqlite_url)
    assert summary == {"read": 5, "created": 0, "updated": 0, "unchanged": 3, "bad": 2}
    changed = dict(ARTICLES[1], body="Use the link on the sign-in page.")
    path2 = _write(tmp_path / "changed.jsonl", [json.dumps(ARTICLES[0]), json.dumps(changed)])
    code, summary, _ = _import(runner, path2, sqlite_url)
    assert code == 0 and summary == {"read": 2, "created": 0, "updated": 1, "unchanged": 1, "bad": 0}


def _suggest(runner: CliRunner, posts: Path, url: str, top: int = 2) -> list[dict[str, object]]:
    result = runner.invoke(
        app, ["kb", "suggest", "--input", str(posts), "-w", "acme", "--db", url, "--top", str(top)]
    )
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_suggest_prints_one_line_per_post_in_order_with_ids_as_given(sqlite_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    _import(runner, _write(tmp_path / "a.jsonl", [json.dumps(a) for a in ARTICLES]), sqlite_url)
    posts = _write(
        tmp_path / "posts.jsonl",
        [
            json.dumps({"id": 3, "text": "I forgot my password and cannot log in"}),
            json.dumps({"id": "b", "text": "ECHEC PAIEMENT, carte refusee", "lang": "fr"}),
            json.dumps({"id": "c", "text": "can I get my money back for this order?"}),
            json.dumps({"id": "d", "text": "zzzz"}),
        ],
    )
    out = _suggest(runner, posts, sqlite_url)
    assert [o["id"] for o in out] == [3, "b", "c", "d"]
    assert set(out[0]) == {"id", "suggestions"}
    first = out[0]["suggestions"][0]  # type: ignore[index]
    assert set(first) == {"article", "score", "title"} and isinstance(first["score"], float)
    assert first["article"] == "pwd" and first["title"] == "Reset your password"
    assert [s["article"] for s in out[1]["suggestions"]] == ["7"]  # type: ignore[attr-defined]  # French only
    assert out[2]["suggestions"][0]["article"] == "refund-1"  # type: ignore[index]
    assert out[3]["suggestions"] == []
    scores = [s["score"] for s in out[0]["suggestions"]]  # type: ignore[attr-defined]
    assert scores == sorted(scores, reverse=True)


def test_only_published_articles_are_suggested(sqlite_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    _import(runner, _write(tmp_path / "a.jsonl", [json.dumps(ARTICLES[1])]), sqlite_url, "--state", "draft")
    posts = _write(tmp_path / "p.jsonl", [json.dumps({"id": 1, "text": "forgot my password"})])
    assert _suggest(runner, posts, sqlite_url) == [{"id": 1, "suggestions": []}]
    published = {"id": "pwd2", "title": "Change your password", "body": "Settings, then Security."}
    _import(runner, _write(tmp_path / "b.jsonl", [json.dumps(published)]), sqlite_url)
    out = _suggest(runner, posts, sqlite_url, top=3)
    assert [s["article"] for s in out[0]["suggestions"]] == ["pwd2"]  # type: ignore[attr-defined]


def test_bad_arguments_exit_non_zero_with_one_line(sqlite_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    path = _write(tmp_path / "a.jsonl", [json.dumps(ARTICLES[0])])
    result = runner.invoke(
        app, ["kb", "import", str(path), "-w", "acme", "--db", sqlite_url, "--state", "archived"]
    )
    assert result.exit_code != 0 and "expected published or draft" in result.stderr
    bad_posts = _write(tmp_path / "p.jsonl", ['{"id": 1}'])
    result = runner.invoke(
        app, ["kb", "suggest", "--input", str(bad_posts), "-w", "acme", "--db", sqlite_url]
    )
    assert result.exit_code != 0 and "line 1: text: missing" in result.stderr


def test_community_proposals_are_never_suggested_before_review(sqlite_url: str, tmp_path: Path) -> None:
    """A community answer proposed at ingest is in review: `kb suggest` does not print it; once a
    reviewer approves it, it does."""
    from datetime import UTC, datetime

    from socialdesk.actions.accounts import ensure_workspace
    from socialdesk.actions.brand_accounts import check_add_brand_account
    from socialdesk.actions.ingest import do_ingest_posts
    from socialdesk.config import Settings
    from socialdesk.domain.knowledge import ArticleState
    from socialdesk.runtime import build_runtime
    from tests.factories import post

    runtime = build_runtime(Settings(database_url=sqlite_url, triage=False, triage_processes=0))
    now = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)
    try:
        with runtime.uow() as uow:
            ws = ensure_workspace(uow, "acme").id
            check_add_brand_account(uow, ws, "x", "@AcmeCares")
            thread = [
                post("@AcmeCares how do I reset my router password?", id="q", author="carol"),
                post("hold the reset button for ten seconds", id="a", author="dan", reply_to="q", minutes=1),
            ]
            do_ingest_posts(uow, ws, thread, now)
        with runtime.uow() as uow:
            [proposal] = uow.articles.find(ws)
        assert proposal.state is ArticleState.IN_REVIEW
        runner = CliRunner()
        posts = _write(tmp_path / "p.jsonl", [json.dumps({"id": 1, "text": "reset router password?"})])
        assert _suggest(runner, posts, sqlite_url) == [{"id": 1, "suggestions": []}]
        with runtime.uow() as uow:
            uow.articles.set_state(ws, proposal.id, ArticleState.PUBLISHED, now)
        out = _suggest(runner, posts, sqlite_url)
        assert [s["article"] for s in out[0]["suggestions"]] == [proposal.key]  # type: ignore[attr-defined]
    finally:
        runtime.close()
