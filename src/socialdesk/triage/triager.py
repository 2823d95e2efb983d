"""`Triager`: the whole triage step for one post, as a pure function of its inputs and the model.

`triage` handles one post; `triage_many` handles a batch (the ingest pipeline's way) and returns
exactly what mapping `triage` would: it scores all posts and all heads with a few numpy calls
(`LinearModel.*_many`, bit-for-bit the same numbers), and shares every rule with `triage`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from socialdesk.triage.explain import readable_terms
from socialdesk.triage.features import Extracted, extract
from socialdesk.triage.gloss import GLOSS_LANGUAGES, Glossed, gloss, quote_sources, worth_glossing
from socialdesk.triage.language import detect_language
from socialdesk.triage.linear_model import BatchOutput, LinearModel
from socialdesk.triage.private_data import find_private_data
from socialdesk.triage.result import TriageResult
from socialdesk.triage.rules import is_question, match_phrases, spam_cues
from socialdesk.triage.scan import DIGIT, EMAIL_AT, INTENSE, Scanned, cue_ids, scan
from socialdesk.triage.settings import TriageSettings
from socialdesk.triage.urgency import score_urgency

ALWAYS_REPLY = frozenset({"complaint", "question", "outage_report"})
_ALWAYS_REPLY_REASON = {category: f"category {category}" for category in ALWAYS_REPLY}
_OUTAGE_OVERRIDES = frozenset({"complaint", "other", "question"})
_FEEDBACK_OVERRIDES = frozenset({"other", "praise", "complaint"})
_NO_SAFETY_REPLY = frozenset({"spam", "praise"})
BATCH_SIZE = 256  # posts scored together by `triage_many`


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


_NO_CONTEXT = TriageRequest("")  # the context of a post given as a bare str


def _category(
    learned: str, p_complaint: float, lowered: str, found: dict[str, list[str]], question: bool
) -> tuple[str, list[str]]:
    """The rule-based categories override the learned one: (category, the cues that decided it)."""
    if "spam" in found:
        spam = spam_cues(lowered, found)
        if spam and p_complaint < 0.6:
            return "spam", spam
    if "outage" in found and learned in _OUTAGE_OVERRIDES:
        return "outage_report", found["outage"]
    if "feedback" in found and learned in _FEEDBACK_OVERRIDES and p_complaint < 0.6:
        return "feedback", found["feedback"]
    if learned == "other" and question:
        return "question", ["asks something"]
    return learned, []


def _reply_rule(category: str, question: bool) -> tuple[bool, str] | None:
    """(needs_reply, reason) when the category decides; None when the needs_reply head must."""
    if category in ALWAYS_REPLY:
        return True, _ALWAYS_REPLY_REASON[category]
    if category == "spam":
        return False, "spam"
    if category == "feedback" and question:
        return True, "feedback that asks something"
    return None


def _safety_rule(category: str, found: dict[str, list[str]]) -> tuple[bool, str] | None:
    """A post that names a safety harm (smoke, fire, injury, ...) always goes to a person."""
    safety = found.get("safety")
    if safety and category not in _NO_SAFETY_REPLY:
        return True, f"safety '{safety[0]}'"
    return None


def _unread_rule(language: str, glossed: Glossed | None, text: str) -> tuple[bool, str] | None:
    """A post addressed to someone in a language triage cannot read goes to a person.

    The learned heads read English (and, through a gloss, the `GLOSS_LANGUAGES`); for any other
    language their "no reply" would only mean "no English words", so it is not trusted.
    """
    if glossed is None and language != "en" and language not in GLOSS_LANGUAGES and "@" in text:
        return True, f"language {language} is not read by triage: a person looks"
    return None


def _probability(out: BatchOutput, labels: Sequence[str], label: str) -> list[float]:
    """Each post's probability of `label` (0.0 when the head has no such label)."""
    if label not in labels:
        return [0.0] * len(out.labels)
    column: list[float] = out.probabilities[:, labels.index(label)].tolist()
    return column


@dataclass(slots=True)
class _Reading:
    """Per post of a batch: what `Triager._read` found (lists in the batch's order)."""

    texts: list[str]
    words: list[list[str]]
    cues: list[int]
    sentiments: list[str]
    p_negs: list[float]
    p_poss: list[float]
    learned: list[str]
    p_complaints: list[float]
    p_replies: list[float]
    sent_terms: list[list[str]]
    category_terms: list[list[str]]

    def replace(self, i: int, other: _Reading, k: int) -> None:
        """Take post `k` of `other` as post `i` (words and cue bits stay this post's own)."""
        self.sentiments[i] = other.sentiments[k]
        self.p_negs[i] = other.p_negs[k]
        self.p_poss[i] = other.p_poss[k]
        self.learned[i] = other.learned[k]
        self.p_complaints[i] = other.p_complaints[k]
        self.p_replies[i] = other.p_replies[k]
        self.sent_terms[i] = other.sent_terms[k]
        self.category_terms[i] = other.category_terms[k]


class Triager:
    """Loads the model once; `triage` is then deterministic and free of I/O."""

    def __init__(self, model: LinearModel | None = None, settings: TriageSettings | None = None) -> None:
        if model is None:
            from socialdesk.triage.model_loader import load_default_model

            model = load_default_model()
        self.model = model
        self.settings = settings or TriageSettings()
        self._cue_ids = (model, cue_ids(model.index))  # the model's ids of the cue features (`scan`)

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
        language = detect_language(lowered, ex.tokens, lang_hint)
        glossed = (
            gloss(text, language)
            if language in GLOSS_LANGUAGES and worth_glossing(language, ex.tokens)
            else None
        )
        read = ex if glossed is None else extract(glossed.text, is_reply=is_reply)
        rule_text = lowered if glossed is None else glossed.text
        scored = model.score(read.features)
        logits = scored.logits
        sent = model.predict("sentiment", logits)
        p_neg = sent.probabilities.get("negative", 0.0)
        score = round(sent.probabilities.get("positive", 0.0) - p_neg, 3)
        learned = model.predict("category", logits)
        found = match_phrases(read.tokens)
        question = is_question(rule_text, read.tokens, found)
        p_complaint = learned.probabilities.get("complaint", 0.0)
        category, cues = _category(learned.label, p_complaint, rule_text, found, question)
        reply = (
            _reply_rule(category, question)
            or _safety_rule(category, found)
            or _unread_rule(language, glossed, text)
        )
        if reply is None:  # only here does the needs_reply head decide
            reply = self._reply_head(model.predict("needs_reply", logits).probabilities.get("reply", 0.0))
        why_category = _rule_text(cues) if cues else readable_terms(model.top_terms(scored, learned))
        return self._finish(
            text,
            rule_text,
            ex.tokens,
            _cue_bits(ex),
            found,
            language=language,
            glossed=glossed,
            category=category,
            reply=reply,
            sentiment=sent.label,
            score=score,
            p_neg=p_neg,
            why_category=why_category,
            why_sentiment=readable_terms(model.top_terms(scored, sent)),
            request=TriageRequest(text, lang_hint, is_reply, repeat_contacts, wait_seconds, author_handle),
        )

    def triage_many(self, items: Iterable[str | TriageRequest]) -> list[TriageResult]:
        """`[triage(x) for x in items]`, computed batch by batch; a str is a post without context."""
        posts = list(items)
        out: list[TriageResult] = []
        for start in range(0, len(posts), BATCH_SIZE):
            out += self._triage_batch(posts[start : start + BATCH_SIZE])
        return out

    def _triage_batch(self, items: Sequence[str | TriageRequest]) -> list[TriageResult]:
        requests = [_NO_CONTEXT if isinstance(item, str) else item for item in items]
        texts = [item if isinstance(item, str) else item.text for item in items]
        replies = [r.is_reply for r in requests]
        read = self._read(texts, replies)
        lowereds = [text.lower() for text in texts]
        words = read.words
        languages = [
            detect_language(lowered, post_words, request.lang_hint)
            for lowered, post_words, request in zip(lowereds, words, requests, strict=True)
        ]
        glosses: list[Glossed | None] = [None] * len(texts)
        rule_texts, rule_words = lowereds, words
        foreign = [
            i
            for i, lang in enumerate(languages)
            if lang in GLOSS_LANGUAGES and worth_glossing(lang, words[i])
        ]
        if foreign:  # read again, in English words: only the posts in another language
            rule_texts, rule_words = list(lowereds), list(words)
            for i in foreign:
                glosses[i] = gloss(texts[i], languages[i])
            english = self._read([g.text for g in glosses if g is not None], [replies[i] for i in foreign])
            for k, i in enumerate(foreign):
                rule_texts[i] = english.texts[k]
                rule_words[i] = english.words[k]
                read.replace(i, english, k)
        finish = self._finish
        reply_head = self._reply_head
        results = []
        posts = zip(texts, requests, words, read.cues, strict=True)
        for i, (text, request, post_words, bits) in enumerate(posts):
            rule_text = rule_texts[i]
            p_neg = read.p_negs[i]
            found = match_phrases(rule_words[i])
            question = is_question(rule_text, rule_words[i], found)
            learned = read.learned[i]
            category, cues_found = _category(learned, read.p_complaints[i], rule_text, found, question)
            results.append(
                finish(
                    text,
                    rule_text,
                    post_words,
                    bits,
                    found,
                    language=languages[i],
                    glossed=glosses[i],
                    category=category,
                    reply=(
                        _reply_rule(category, question)
                        or _safety_rule(category, found)
                        or _unread_rule(languages[i], glosses[i], text)
                        or reply_head(read.p_replies[i])
                    ),
                    sentiment=read.sentiments[i],
                    score=round(read.p_poss[i] - p_neg, 3),
                    p_neg=p_neg,
                    why_category=(
                        _rule_text(cues_found) if cues_found else readable_terms(read.category_terms[i])
                    ),
                    why_sentiment=readable_terms(read.sent_terms[i]),
                    request=request,
                )
            )
        return results

    def _read(self, texts: list[str], replies: list[bool]) -> _Reading:
        """What the model makes of each text of a batch (its words, cue bits, labels and terms)."""
        model = self.model
        heads = model.heads
        if type(model).score_many is LinearModel.score_many:  # ids straight from the chunk memo
            scanned = self._scan(texts, replies, model)
            scored = model.score_ids(
                np.frombuffer(scanned.ids, dtype=np.int64), np.frombuffer(scanned.counts, dtype=np.int64)
            )
            tokens, cues = scanned.words, scanned.cues
        else:  # a model that scores feature names its own way (the [ml] model)
            exs = [extract(text, is_reply=reply) for text, reply in zip(texts, replies, strict=True)]
            scored = model.score_many([ex.features for ex in exs])
            tokens = [ex.tokens for ex in exs]
            cues = [_cue_bits(ex) for ex in exs]
        sent = model.predict_many("sentiment", scored.logits)
        learned = model.predict_many("category", scored.logits)
        sent_labels = heads["sentiment"].labels
        return _Reading(
            texts=texts,
            words=tokens,
            cues=cues,
            sentiments=sent.labels,
            p_negs=_probability(sent, sent_labels, "negative"),
            p_poss=_probability(sent, sent_labels, "positive"),
            learned=learned.labels,
            p_complaints=_probability(learned, heads["category"].labels, "complaint"),
            p_replies=_probability(
                model.predict_many("needs_reply", scored.logits), heads["needs_reply"].labels, "reply"
            ),
            sent_terms=model.top_terms_many(scored, sent),
            category_terms=model.top_terms_many(scored, learned),
        )

    def _reply_head(self, p_reply: float) -> tuple[bool, str]:
        return p_reply >= self.settings.reply_threshold, f"P(reply)={p_reply:.2f}"

    def _scan(self, texts: list[str], replies: list[bool], model: LinearModel) -> Scanned:
        if self._cue_ids[0] is not model:  # the model may be swapped after construction
            self._cue_ids = (model, cue_ids(model.index))
        return scan(texts, replies, model.index, self._cue_ids[1])

    def _finish(
        self,
        text: str,
        lowered: str,
        tokens: list[str],
        bits: int,
        found: dict[str, list[str]],
        *,
        language: str,
        glossed: Glossed | None,
        category: str,
        reply: tuple[bool, str],
        sentiment: str,
        score: float,
        p_neg: float,
        why_category: str,
        why_sentiment: str,
        request: TriageRequest,
    ) -> TriageResult:
        """Language, private data, urgency and the explanation: the same for one post or a batch.

        `bits` are the post's cue bits from the scan (`scan.INTENSE`, `scan.DIGIT`, `scan.EMAIL_AT`).
        `lowered` is the text the rules read (the English gloss of a post in another language),
        `tokens` the post's own words; explanations quote the post's own words (`quote_sources`).
        """
        needs_reply, reply_reason = reply
        urgency = score_urgency(
            lowered=lowered,
            found=found,
            category=category,
            negative_probability=p_neg,
            needs_reply=needs_reply,
            intense=(bits & INTENSE) != 0,
            repeat_contacts=request.repeat_contacts,
            wait_seconds=request.wait_seconds,
            author_handle=request.author_handle,
            settings=self.settings,
        )
        explanation = (
            f"category {category}: {why_category}",
            f"sentiment {sentiment} ({score:+.2f}): {why_sentiment}",
            f"needs_reply {'true' if needs_reply else 'false'}: {reply_reason}",
            *urgency.reasons,
        )
        if glossed is not None:
            explanation = tuple(quote_sources(line, glossed) for line in explanation)
        return TriageResult(  # positional (field order) is the cheapest call
            needs_reply,
            category,
            sentiment,
            score,
            language,
            urgency.score,
            find_private_data(text, tokens, digits=(bits & DIGIT) != 0, email_at=(bits & EMAIL_AT) != 0),
            explanation,
        )


def _cue_bits(ex: Extracted) -> int:
    """The cue bits `_finish` reads, from an `Extracted`."""
    return (INTENSE if ex.intense else 0) | (DIGIT if ex.has_digit else 0) | (EMAIL_AT if ex.email_at else 0)


def _rule_text(cues: list[str]) -> str:
    return "rule: " + ", ".join(f"'{c}'" for c in cues[:3])
