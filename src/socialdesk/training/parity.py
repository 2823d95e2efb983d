"""Language parity and fairness figures on a set of posts with faithful translations.

A parity set is JSONL, one source post per line: ``{"source_id", "en": text, "es": text, ...}``.
For every language, each translation is triaged and compared with the English original:
needs_reply agreement and urgency within `URGENCY_TOLERANCE` points. The per-language
needs-reply rate and mean urgency (`socialdesk evaluate --fairness`) come from the same runs.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from socialdesk.triage import Triager, TriageRequest

URGENCY_TOLERANCE = 15
NEEDS_REPLY_TARGET = 0.90
URGENCY_TARGET = 0.80
SOURCE_LANGUAGE = "en"


class ParitySetError(ValueError):
    """The parity set is missing or malformed."""


def default_parity_dir() -> Path:
    """tests/triage/data/parity in a source checkout (the set is test data, not shipped)."""
    return Path(__file__).resolve().parents[3] / "tests" / "triage" / "data" / "parity"


def load_parity_set(path: Path) -> list[dict[str, str]]:
    """The records of a parity-set JSONL file; raise ParitySetError saying what is wrong and where."""
    if not path.is_file():
        raise ParitySetError(f"parity set not found: {path} (pass --parity-set FILE)")
    records: list[dict[str, str]] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ParitySetError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from exc
        if not isinstance(record, dict) or not isinstance(record.get(SOURCE_LANGUAGE), str):
            raise ParitySetError(f"{path}:{lineno}: expected an object with an '{SOURCE_LANGUAGE}' text")
        if not all(isinstance(v, str) for v in record.values()):
            raise ParitySetError(f"{path}:{lineno}: every value must be a string")
        records.append(record)
    if not records:
        raise ParitySetError(f"{path}: no posts")
    return records


@dataclass(frozen=True)
class LanguageFigures:
    language: str
    posts: int
    needs_reply_rate: float
    mean_urgency: float
    detected_as_language: float  # share of posts whose detected language is this one
    needs_reply_agreement: float | None  # None for the source language itself
    urgency_within_tolerance: float | None


def parity_figures(triager: Triager, records: Sequence[dict[str, str]]) -> list[LanguageFigures]:
    """Figures per language, English first, then the others in order of first appearance."""
    languages = [SOURCE_LANGUAGE]
    for record in records:
        languages += [k for k in record if len(k) == 2 and k not in languages]
    english = triager.triage_many([r[SOURCE_LANGUAGE] for r in records])
    out: list[LanguageFigures] = []
    for lang in languages:
        pairs = [(i, r[lang]) for i, r in enumerate(records) if lang in r]
        results = triager.triage_many([text for _, text in pairs])
        n = len(results)
        agree = within = 0
        for (i, _), result in zip(pairs, results, strict=True):
            agree += result.needs_reply == english[i].needs_reply
            within += abs(result.urgency - english[i].urgency) <= URGENCY_TOLERANCE
        source = lang == SOURCE_LANGUAGE
        out.append(
            LanguageFigures(
                language=lang,
                posts=n,
                needs_reply_rate=sum(r.needs_reply for r in results) / n,
                mean_urgency=sum(r.urgency for r in results) / n,
                detected_as_language=sum(r.language == lang for r in results) / n,
                needs_reply_agreement=None if source else agree / n,
                urgency_within_tolerance=None if source else within / n,
            )
        )
    return out


def overall(figures: Sequence[LanguageFigures]) -> tuple[float, float]:
    """(needs_reply agreement, urgency within tolerance) over every translated post."""
    translated = [f for f in figures if f.needs_reply_agreement is not None]
    total = sum(f.posts for f in translated) or 1
    agree = sum((f.needs_reply_agreement or 0.0) * f.posts for f in translated) / total
    within = sum((f.urgency_within_tolerance or 0.0) * f.posts for f in translated) / total
    return agree, within


def _pct(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}"


def format_parity(figures: Sequence[LanguageFigures], title: str) -> str:
    """A Markdown table: per-language needs-reply rate, mean urgency, and agreement with English."""
    lines = [
        f"{title}",
        "",
        "| language | posts | detected as it % | needs_reply % | mean urgency "
        f"| needs_reply agrees with en % | urgency within {URGENCY_TOLERANCE} of en % |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for f in figures:
        lines.append(
            f"| {f.language} | {f.posts} | {_pct(f.detected_as_language)} | {_pct(f.needs_reply_rate)} "
            f"| {f.mean_urgency:.1f} | {_pct(f.needs_reply_agreement)} | {_pct(f.urgency_within_tolerance)} |"
        )
    agree, within = overall(figures)
    lines += [
        "",
        f"All translations: needs_reply agreement {100 * agree:.1f}% "
        f"(target {100 * NEEDS_REPLY_TARGET:.0f}%), urgency within {URGENCY_TOLERANCE} points "
        f"{100 * within:.1f}% (target {100 * URGENCY_TARGET:.0f}%).",
    ]
    return "\n".join(lines)


def follower_invariance(triager: Triager, records: Sequence[dict[str, str]]) -> tuple[int, int]:
    """(posts whose triage differs between 0 and 10 million followers, posts checked), every language."""
    texts = [text for record in records for key, text in record.items() if len(key) == 2]
    few = triager.triage_many([TriageRequest(t, author_handle="a", followers=0) for t in texts])
    many = triager.triage_many([TriageRequest(t, author_handle="a", followers=10_000_000) for t in texts])
    return sum(a != b for a, b in zip(few, many, strict=True)), len(texts)


def fairness_report(
    path: Path | None, model_dir: Path | None, *, as_json: bool = False, invariance: bool = True
) -> str:
    """The text `socialdesk evaluate --fairness` prints (the parity table, and the invariance check)."""
    from socialdesk.training.evaluate import load_model

    path = path or default_parity_dir() / "eval.jsonl"
    records = load_parity_set(path)
    triager = Triager(load_model(model_dir))
    figures = parity_figures(triager, records)
    differing, checked = follower_invariance(triager, records) if invariance else (0, 0)
    if as_json:
        payload: dict[str, object] = {
            "parity_set": str(path),
            "languages": [asdict(f) for f in figures],
            "overall": dict(
                zip(("needs_reply_agreement", "urgency_within_tolerance"), overall(figures), strict=True)
            ),
        }
        if invariance:
            payload["follower_invariance"] = {"differing": differing, "checked": checked}
        return json.dumps(payload, indent=2)
    title = f"Language parity and fairness on {path.name} ({len(records)} source posts)"
    text = format_parity(figures, title)
    if invariance:
        text += (
            f"\nFollower count (0 vs 10,000,000): {differing} of {checked} posts triaged differently "
            "(verification is not an input of triage at all)."
        )
    return text
