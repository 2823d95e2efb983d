"""`Triager`: the whole triage step for one post, as a pure function of its inputs and the model."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from socialdesk.triage.explain import readable_terms
from socialdesk.triage.features import extract
from socialdesk.triage.language import detect_language
from socialdesk.triage.linear_model import LinearModel
from socialdesk.triage.private_data import find_private_data
from socialdesk.triage.result import TriageResult
from socialdesk.triage.rules import is_question, match_phrases, spam_cues
from socialdesk.triage.settings import TriageSettings
from socialdesk.triage.urgency import score_urgency

ALWAYS_REPLY = frozenset({"complaint", "question", "outage_report"})
_ALWAYS_REPLY_REASON = {category: f"category {category}" for category in ALWAYS_REPLY}


@dataclass(frozen=True, slots=True)
class TriageRequest:
    """One post and its context, for `Triager.triage_many`."""

    text: str
    lang_hint: str | None = None
    is_reply: bool = False
    repeat_contacts: int = 0
    wait_seconds: float = 0.0
    author_handle: str | None = None
    followers: int | None = None


class Triager:
    """Loads the model once; `triage` is then deterministic and free of I/O."""

    def __init__(self, model: LinearModel | None = None, settings: TriageSettings | None = None) -> None:
        if model is None:
            from socialdesk.triage.model_loader import load_default_model

            model = load_default_model()
        self.model = model
        self.settings = settings or TriageSettings()

    def triage(
        self,
        text: str,
        *,
        lang_hint: str | None = None,
        is_reply: bool = False,
        repeat_contacts: int = 0,
        wait_seconds: float = 0,
        author_handle: str | None = None,
        followers: int | None = None,
    ) -> TriageResult:
        """Triage one post. `followers` is accepted and deliberately ignored."""
        del followers  # reach must never buy urgency; only the explicit VIP setting can
        model = self.model
        ex = extract(text, is_reply=is_reply)
        lowered = text.lower()
        scored = model.score(ex.features)
        logits = scored.logits

        sent = model.predict("sentiment", logits)
        p_neg = sent.probabilities.get("negative", 0.0)
        score = round(sent.probabilities.get("positive", 0.0) - p_neg, 3)

        learned = model.predict("category", logits)
        category = learned.label
        cues: list[str] = []
        found = match_phrases(ex.tokens)
        spam = spam_cues(lowered, found)
        question = is_question(lowered, ex.tokens, found)
        p_complaint = learned.probabilities.get("complaint", 0.0)
        if spam and p_complaint < 0.6:
            category, cues = "spam", spam
        elif "outage" in found and category in {"complaint", "other", "question"}:
            category, cues = "outage_report", found["outage"]
        elif "feedback" in found and category in {"other", "praise", "complaint"} and p_complaint < 0.6:
            category, cues = "feedback", found["feedback"]
        elif category == "other" and question:
            category, cues = "question", ["asks something"]

        if category in ALWAYS_REPLY:
            needs_reply, reply_reason = True, _ALWAYS_REPLY_REASON[category]
        elif category == "spam":
            needs_reply, reply_reason = False, "spam"
        elif category == "feedback" and question:
            needs_reply, reply_reason = True, "feedback that asks something"
        else:  # only here does the needs_reply head decide
            p_reply = model.predict("needs_reply", logits).probabilities.get("reply", 0.0)
            needs_reply = p_reply >= self.settings.reply_threshold
            reply_reason = f"P(reply)={p_reply:.2f}"

        language = detect_language(lowered, ex.tokens, lang_hint)
        private = find_private_data(text, ex.tokens)
        urgency = score_urgency(
            lowered=lowered,
            found=found,
            category=category,
            negative_probability=p_neg,
            needs_reply=needs_reply,
            intense=ex.intense,
            repeat_contacts=repeat_contacts,
            wait_seconds=wait_seconds,
            author_handle=author_handle,
            settings=self.settings,
        )

        if cues:
            why_category = "rule: " + ", ".join(f"'{c}'" for c in cues[:3])
        else:
            why_category = readable_terms(model.top_terms(scored, learned))
        explanation = (
            f"category {category}: {why_category}",
            f"sentiment {sent.label} ({score:+.2f}): {readable_terms(model.top_terms(scored, sent))}",
            f"needs_reply {'true' if needs_reply else 'false'}: {reply_reason}",
            *urgency.reasons,
        )
        return TriageResult(
            needs_reply=needs_reply,
            category=category,
            sentiment=sent.label,
            sentiment_score=score,
            language=language,
            urgency=urgency.score,
            private_data=private,
            explanation=explanation,
        )

    def triage_many(self, items: Iterable[str | TriageRequest]) -> list[TriageResult]:
        out = []
        for item in items:
            if isinstance(item, str):
                out.append(self.triage(item))
            else:
                out.append(
                    self.triage(
                        item.text,
                        lang_hint=item.lang_hint,
                        is_reply=item.is_reply,
                        repeat_contacts=item.repeat_contacts,
                        wait_seconds=item.wait_seconds,
                        author_handle=item.author_handle,
                        followers=item.followers,
                    )
                )
        return out
