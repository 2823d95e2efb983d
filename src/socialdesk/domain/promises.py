"""Promises in outgoing replies: "we'll get back to you by Friday" -> a due time to keep.

A promise is, within one sentence, a *commitment* by the brand and a *time expression*:

* commitments: ``we / I / our team / someone ... will|'ll|shall|are going to`` followed within three
  words by an action (follow up, get back, reach out, respond, send, call, email, update, look into,
  continue, assist, be in touch, let you know ...); ``you'll be notified / contacted / updated /
  responded to``, ``you'll hear back``, ``you'll receive a reply``; and ``look for / expect / be on the
  lookout for a response|reply|DM|email|call|update``.
* a sentence that hedges (hopefully, fingers crossed, we hope, might, may) or says the action waits for
  something else ("as soon as it's available") holds no promise.

How a time expression becomes a due instant, in the given time zone (business end of day is 17:00):

==================================  ====================================================================
in / within / in the next N units   sent + N minutes or hours; N days or weeks on the local calendar
                                    (same wall time); N business or working days skip Sat and Sun
"24-48 hours"                       the upper bound
shortly, momentarily, in a bit      sent + 1 hour
in a few minutes / hours / days     sent + 15 minutes / 3 hours / 3 days ("a couple of": 2)
soon, asap, as soon as possible     sent + 24 hours
today, end of (the) day, EOD, COB   17:00 today, or 23:59 if already past 17:00
tonight                             23:59 today
this morning / afternoon / evening  12:00 / 17:00 / 21:00 today (23:59 if already past)
tomorrow [morning|afternoon|...]    tomorrow at 17:00 (morning 12:00, afternoon 17:00, evening 21:00)
(on / by) Friday [morning ...]      the next Friday strictly after today, times as for tomorrow
this week, end of the week          Friday 17:00 of this week (Sunday 23:59 when Friday has passed)
next week                           Friday 17:00 of next week
by / at 5pm, by 17:30               that time today, or tomorrow when already past
within the hour / day / week        sent + 1 hour / 17:00 today / sent + 7 days
==================================  ====================================================================

The due time is the *latest* moment at which the promise is still kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from socialdesk.domain.business_hours import ensure_utc

__all__ = ["Promise", "detect_promise", "find_promises"]

_END_OF_BUSINESS = time(17, 0)
_END_OF_DAY = time(23, 59)
_PARTS = {"morning": time(12, 0), "afternoon": time(17, 0), "evening": time(21, 0), "night": time(23, 59)}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_ACTION = (
    r"(?:follow(?:ing)?[- ]?up|get(?:ting)? back|check(?:ing)? back|reach(?:ing)? out|respond(?:ing)?|"
    r"repl(?:y|ying)|contact(?:ing)?|call(?:ing)?|e-?mail(?:ing)?|(?:re)?send(?:ing)?|updat(?:e|ing)|"
    r"look(?:ing)? into|continu(?:e|ing)|(?:be|get|getting) (?:back )?in touch|be with you|revert|"
    r"dm(?:ing)?|messag(?:e|ing)|investigat(?:e|ing)|review(?:ing)?|process(?:ing)?|refund(?:ing)?|"
    r"assist(?:ing)?|fix(?:ing)?|let you know|have (?:an?|more|some) (?:update|news|answer|info\w*)|"
    r"provid(?:e|ing)|shar(?:e|ing)|escalat(?:e|ing)|confirm(?:ing)?|ship(?:ping)?|deliver(?:ing)?)\b"
)
_SUBJECT = (
    r"(?:we|i|our (?:\w+ )?(?:team|folks|specialists?|agents?|experts?|advisors?|staff)|"
    r"the (?:\w+ )?team|someone|somebody|an? (?:\w+ )?(?:rep|representative|specialist|agent|advisor))"
)
_WILL = r"(?:\s+will|\s+shall|['’]ll|\s+(?:are|am)\s+going\s+to|['’](?:re|m)\s+going\s+to)"
_COMMITMENTS = (
    re.compile(rf"\b(?:{_SUBJECT}{_WILL}|and\s+will)\s+(?:\w+\s+){{0,3}}?{_ACTION}", re.IGNORECASE),
    re.compile(
        r"\byou(?:['’]ll|\s+will)\s+(?:be\s+(?:notified|contacted|updated|responded\s+to|called|emailed|"
        r"reached)|hear\s+(?:back|from)|receive\s+(?:a|an|our)|get\s+(?:a|an)\s+(?:response|reply|call|"
        r"e-?mail|update|dm|message))",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:look\s+(?:out\s+)?for|expect|be\s+on\s+the\s+lookout\s+for|keep\s+an\s+eye\s+out\s+for|"
        r"watch\s+for)\s+(?:a|an|our|the|my)?\s*(?:\w+\s+)?(?:response|reply|dm|message|e-?mail|call|"
        r"update|follow[- ]?up)",
        re.IGNORECASE,
    ),
)
_HEDGE = re.compile(
    r"\b(?:hopefully|fingers crossed|hope|might|may|any ?time soon|as soon as (?:it|they|we|the|this|"
    r"that)\b|once (?:it|they|we|the)\b)",
    re.IGNORECASE,
)

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "twenty-four": 24, "forty-eight": 48,
}  # fmt: skip
_NUM = r"(?:\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_UNIT = r"(?P<unit>min(?:ute)?s?|h(?:ou)?rs?|days?|weeks?|business days?|working days?)"
_PART = r"(?:\s+(?P<part>morning|afternoon|evening|night))?"
_TIMES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        (
            "span",
            rf"\b(?:in|within|in the next|over the next)\s+(?:{_NUM}\s*[-–]\s*)?(?P<n>{_NUM})\s*{_UNIT}\b",
        ),
        ("bare_span", rf"\b(?P<n>\d{{1,3}})\s*[-–]\s*\d{{1,3}}\s*{_UNIT}\b"),
        ("few", r"\bin\s+(?:a\s+)?(?P<few>few|couple(?:\s+of)?)\s+(?P<unit>minutes|hours|days)\b"),
        ("within_the", r"\bwithin\s+the\s+(?P<unit>hour|day|week)\b"),
        ("shortly", r"\b(?:shortly|momentarily|in a (?:bit|moment|minute|sec(?:ond)?))\b"),
        ("asap", r"\b(?:asap|as soon as possible)\b|(?<!as )\bsoon\b(?!\s+as\b)"),
        ("eod", r"\b(?:end of (?:the )?(?:business )?day|eod|cob|close of business)\b"),
        ("tonight", r"\btonight\b"),
        ("today", r"\btoday\b"),
        ("this_part", r"\bthis\s+(?P<part>morning|afternoon|evening)\b"),
        ("tomorrow", rf"\b(?:tomorrow|tmrw){_PART}\b"),
        ("weekday", rf"\b(?P<day>{'|'.join(_WEEKDAYS)}){_PART}\b"),
        ("this_week", r"\b(?:this week|(?:the )?end of (?:the|this) week)\b"),
        ("next_week", r"\bnext week\b"),
        (
            "clock",
            r"\b(?:by|at|before)\s+(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?(?!\w)",
        ),
    )
)  # fmt: skip
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")


@dataclass(frozen=True, slots=True)
class Promise:
    """A commitment found in a reply. ``span`` indexes the sentence holding it in the reply text."""

    span: tuple[int, int]
    text: str
    commitment: str
    time_phrase: str
    due: datetime  # UTC


def find_promises(text: str, sent_at: datetime, timezone: str) -> list[Promise]:
    """Every promise in ``text``, one per sentence at most, in order."""
    sent = ensure_utc(sent_at, "sent_at")
    zone = ZoneInfo(timezone)
    found: list[Promise] = []
    for sentence in _SENTENCE.finditer(text):
        chunk = sentence[0]
        if _HEDGE.search(chunk):
            continue
        commitment = next((m for pattern in _COMMITMENTS if (m := pattern.search(chunk))), None)
        if commitment is None:
            continue
        timed = _first_time(chunk)
        if timed is None:
            continue
        name, match = timed
        due = _resolve(name, match, sent, zone)
        if due is None:
            continue
        start = sentence.start() + len(chunk) - len(chunk.lstrip())
        found.append(
            Promise((start, sentence.end()), text[start : sentence.end()], commitment[0], match[0], due)
        )
    return found


def detect_promise(text: str, sent_at: datetime, timezone: str) -> Promise | None:
    """The first promise in ``text``, or ``None`` when it commits to nothing with a time."""
    promises = find_promises(text, sent_at, timezone)
    return promises[0] if promises else None


def _first_time(chunk: str) -> tuple[str, re.Match[str]] | None:
    best: tuple[str, re.Match[str]] | None = None
    for name, pattern in _TIMES:
        match = pattern.search(chunk)
        if match and (best is None or match.start() < best[1].start()):
            best = (name, match)
    return best


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBER_WORDS[text.lower()]


def _at(day: date, moment: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, tzinfo=zone).astimezone(UTC)


def _resolve(  # noqa: C901 (one flat branch per kind of promise)
    name: str, match: re.Match[str], sent: datetime, zone: ZoneInfo
) -> datetime | None:
    local = sent.astimezone(zone)
    today = local.date()

    def later_today(moment: time) -> datetime:
        return _at(today, moment if local.time() < moment else _END_OF_DAY, zone)

    if name in ("span", "bare_span"):
        return _add(local, _number(match["n"]), match["unit"].lower(), zone)
    if name == "few":
        n = 3 if match["few"].lower() == "few" else 2
        unit = match["unit"].lower()
        return _add(local, 15 if unit == "minutes" and n == 3 else n, unit, zone)
    if name == "within_the":
        unit = match["unit"].lower()
        if unit == "day":
            return later_today(_END_OF_BUSINESS)
        return sent + (timedelta(hours=1) if unit == "hour" else timedelta(days=7))
    if name == "shortly":
        return sent + timedelta(hours=1)
    if name == "asap":
        return sent + timedelta(hours=24)
    if name in ("eod", "today"):
        return later_today(_END_OF_BUSINESS)
    if name == "tonight":
        return _at(today, _END_OF_DAY, zone)
    if name == "this_part":
        return later_today(_PARTS[match["part"].lower()])
    if name == "tomorrow":
        return _at(today + timedelta(days=1), _part_time(match), zone)
    if name == "weekday":
        ahead = (_WEEKDAYS.index(match["day"].lower()) - today.weekday()) % 7 or 7
        return _at(today + timedelta(days=ahead), _part_time(match), zone)
    if name in ("this_week", "next_week"):
        friday = today + timedelta(days=4 - today.weekday())
        if name == "next_week":
            return _at(friday + timedelta(days=7), _END_OF_BUSINESS, zone)
        if local < datetime.combine(friday, _END_OF_BUSINESS, tzinfo=zone):
            return _at(friday, _END_OF_BUSINESS, zone)
        return _at(friday + timedelta(days=2), _END_OF_DAY, zone)
    return _clock(match, local, zone)


def _part_time(match: re.Match[str]) -> time:
    part = match["part"]
    return _PARTS[part.lower()] if part else _END_OF_BUSINESS


def _add(local: datetime, n: int, unit: str, zone: ZoneInfo) -> datetime:
    if unit.startswith("min"):
        return local.astimezone(UTC) + timedelta(minutes=n)
    if unit.startswith("h"):
        return local.astimezone(UTC) + timedelta(hours=n)
    wall = local.replace(tzinfo=None)
    if unit.startswith(("business", "working")):
        day = wall
        while n > 0:
            day += timedelta(days=1)
            n -= day.weekday() < 5
        wall = day
    else:
        wall += timedelta(days=n * (7 if unit.startswith("week") else 1))
    return wall.replace(tzinfo=zone).astimezone(UTC)


def _clock(match: re.Match[str], local: datetime, zone: ZoneInfo) -> datetime | None:
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    ampm = (match["ampm"] or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    elif not ampm and match["minute"] is None:
        return None  # "by 5" alone is too ambiguous ("by 5 people", "at 2 stores")
    if hour > 23 or minute > 59:
        return None
    due = datetime.combine(local.date(), time(hour, minute), tzinfo=zone)
    if due <= local:
        due += timedelta(days=1)
    return due.astimezone(UTC)
