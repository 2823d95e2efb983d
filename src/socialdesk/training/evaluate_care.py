"""The care-stage column of `socialdesk evaluate`: the second stage run as the product runs it.

Each prediction goes through `CareStage.refine` over the fast stage's triage of the same post (the
fold's fast model in cross-validation), so the rules the product keeps (outage, spam, feedback, a
question) apply here too. TweetEval validation is scored with the packaged artefact (refused if its
metadata lists that split); the airline and complaints rows refit the heads on the training folds
only (`evaluate.check_disjoint` has checked the folds), with the artefact's own configuration.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from socialdesk.training import datasets as ds
from socialdesk.training.train import Sources
from socialdesk.training.train_care import CareConfig, Vectors, fit_care, head_data, semeval_sample
from socialdesk.triage.care_model import CareStage, load_care_heads

Triage = dict[str, Any]


class CareEval:
    def __init__(self, src: Sources, model_dir: Path | None = None) -> None:
        self.src = src
        self.vectors = Vectors(src)
        self.heads = load_care_heads(model_dir)
        self.config = CareConfig.from_dict(self.heads.metadata.get("config", {}))

    def packaged_refine(self, texts: Sequence[str], triages: Sequence[Triage]) -> list[Triage]:
        from socialdesk.training.evaluate import LeakageError

        trained_on = self.heads.metadata.get("trained_on", [])
        if ds.SPLIT_TWEETEVAL_VAL in trained_on:
            raise LeakageError(
                f"refusing to report '{ds.SPLIT_TWEETEVAL_VAL}' for the care stage: its artefact was "
                f"trained on it (trained_on={sorted(trained_on)})"
            )
        return CareStage(self.heads, self.vectors).refine(texts, triages)

    def airline_fold(
        self, train: Sequence[ds.Example], texts: Sequence[str], triages: Sequence[Triage]
    ) -> list[Triage]:
        """Sentiment head on the fold's airline training rows + the SemEval sample (no airline test row);
        without a sentiment head in the artefact the second stage leaves the sentiment as it is."""
        if self.config.sentiment is None:
            return self._refine(dict(self.heads.heads), texts, triages)
        rows = [*semeval_sample(self.src, self.config.semeval_n, self.config.seed), *train]
        heads = fit_care({"sentiment": head_data(rows)}, self.vectors, self.config)
        return self._refine(heads.heads | {"complaint": self.heads.heads["complaint"]}, texts, triages)

    def complaints_fold(
        self, train: Sequence[ds.Example], texts: Sequence[str], triages: Sequence[Triage]
    ) -> list[Triage]:
        """Complaint head on the fold's complaints training rows only."""
        heads = fit_care({"complaint": head_data(train)}, self.vectors, self.config)
        others = {k: v for k, v in self.heads.heads.items() if k != "complaint"}
        return self._refine(heads.heads | others, texts, triages)

    def _refine(self, heads: dict[str, Any], texts: Sequence[str], triages: Sequence[Triage]) -> list[Triage]:
        from socialdesk.triage.care_model import CareHeads

        stage = CareStage(CareHeads(heads, self.heads.dim, self.heads.metadata), self.vectors)
        return stage.refine(texts, triages)


def care_parity(stage: CareStage, records: Sequence[dict[str, str]]) -> list[dict[str, Any]]:
    """Per language of the parity set, for the first stage alone and with the second stage: how
    often the complaint reading (category complaint or outage) and the sentiment agree with the
    English original's, the complaint rate and the needs-reply rate."""
    from socialdesk.training.parity import SOURCE_LANGUAGE
    from socialdesk.triage import Triager

    triager = Triager()
    languages = [SOURCE_LANGUAGE]
    for record in records:
        languages += [k for k in record if len(k) == 2 and k not in languages]

    def both(texts: list[str]) -> tuple[list[Triage], list[Triage]]:
        fast = [r.to_dict() for r in triager.triage_many(texts)]
        return fast, stage.refine(texts, fast)

    def complaint(t: Triage) -> bool:
        return t["category"] in {"complaint", "outage_report"}

    en_fast, en_care = both([r[SOURCE_LANGUAGE] for r in records])
    out = []
    for lang in languages:
        pairs = [(i, r[lang]) for i, r in enumerate(records) if lang in r]
        fast, care = both([text for _, text in pairs])
        row: dict[str, Any] = {"language": lang, "posts": len(pairs)}
        for name, got, en in (("fast", fast, en_fast), ("care", care, en_care)):
            n = len(got) or 1
            row[f"{name}_complaint_rate"] = sum(complaint(t) for t in got) / n
            row[f"{name}_needs_reply_rate"] = sum(bool(t["needs_reply"]) for t in got) / n
            row[f"{name}_complaint_agrees"] = (
                sum(complaint(t) == complaint(en[i]) for (i, _), t in zip(pairs, got, strict=True)) / n
            )
            row[f"{name}_sentiment_agrees"] = (
                sum(t["sentiment"] == en[i]["sentiment"] for (i, _), t in zip(pairs, got, strict=True)) / n
            )
        out.append(row)
    return out
