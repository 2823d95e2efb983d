"""Fairness as tests: reach and verification never change triage, in any language; the CLI report."""

from __future__ import annotations

import io
import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from socialdesk.cli.triage import register, run_classify
from socialdesk.training.parity import fairness_report, load_parity_set
from socialdesk.triage import Triager, TriageRequest

PARITY = Path(__file__).parent / "data" / "parity" / "eval.jsonl"
LANGUAGES = ("en", "es", "de", "fr", "pt", "it", "nl", "ja")

app = typer.Typer()
_bench = typer.Typer()
app.add_typer(_bench, name="bench")
register(app, _bench)


def _texts() -> list[str]:
    return [text for record in load_parity_set(PARITY) for key, text in record.items() if key in LANGUAGES]


def test_follower_count_never_changes_triage_in_any_language() -> None:
    triager = Triager()
    texts = _texts()
    assert len(texts) == 320
    few = triager.triage_many([TriageRequest(t, author_handle="a", followers=0) for t in texts])
    many = triager.triage_many([TriageRequest(t, author_handle="a", followers=50_000_000) for t in texts])
    none = triager.triage_many(texts)
    assert few == many == none


def test_verification_and_reach_never_change_classify_output() -> None:
    lines = []
    for i, text in enumerate(_texts()[:80]):
        for verified, followers in ((False, 3), (True, 9_000_000)):
            author = {"handle": f"user{i}", "followers": followers, "verified": verified}
            lines.append(json.dumps({"id": i, "text": text, "author": author}, ensure_ascii=False))
    out = io.StringIO()
    assert run_classify(io.StringIO("\n".join(lines) + "\n"), out, io.StringIO()) == 0
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(rows) == 160
    for unverified, verified in zip(rows[::2], rows[1::2], strict=True):
        assert unverified == verified


def test_evaluate_fairness_prints_per_language_rates_and_urgency() -> None:
    result = CliRunner().invoke(app, ["evaluate", "--fairness"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "needs_reply %" in out
    assert "mean urgency" in out
    for lang in LANGUAGES:
        assert f"\n| {lang} | 40 |" in out
    assert "0 of 320 posts triaged differently" in out


def test_evaluate_fairness_json() -> None:
    result = CliRunner().invoke(app, ["evaluate", "--fairness", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    by_lang = {row["language"]: row for row in payload["languages"]}
    assert set(LANGUAGES) <= set(by_lang)
    assert by_lang["en"]["needs_reply_agreement"] is None
    assert by_lang["pt"]["needs_reply_agreement"] >= 0.9
    assert abs(by_lang["pt"]["mean_urgency"] - by_lang["en"]["mean_urgency"]) <= 5
    assert payload["follower_invariance"] == {"differing": 0, "checked": 320}


def test_evaluate_fairness_names_a_missing_or_broken_set(tmp_path: Path) -> None:
    nope = str(tmp_path / "nope.jsonl")
    missing = CliRunner().invoke(app, ["evaluate", "--fairness", "--parity-set", nope])
    assert missing.exit_code == 2
    assert "parity set not found" in missing.output
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"en": "hello"}\n{"es": 3}\n', encoding="utf-8")
    bad = CliRunner().invoke(app, ["evaluate", "--fairness", "--parity-set", str(broken)])
    assert bad.exit_code == 2
    assert "broken.jsonl:2" in bad.output


def test_the_accuracy_run_appends_the_parity_table_without_the_invariance_run() -> None:
    text = fairness_report(None, None, invariance=False)
    assert "| pt | 40 |" in text
    assert "All translations: needs_reply agreement" in text
    assert "Follower count" not in text
