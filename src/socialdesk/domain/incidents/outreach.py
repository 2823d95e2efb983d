"""Writing to everyone an incident affects, as people: one reply per customer, in their own words.

Each draft names the customer, quotes a few words of their own post, fits their network's length
rules (the public limit with the agent's signature, or the private-message limit) and is phrased from
several openings, acknowledgements, bodies and closings. The i-th customer of an incident gets the
i-th phrasing of a fixed walk over all combinations (a stride coprime to their number), so no two
customers of one incident share a phrasing while there are fewer than `PHRASINGS` of them, even when
they have the same name and wrote the same words. Pure: no I/O (docs/incidents.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from socialdesk.domain.networks import private_rule
from socialdesk.domain.text_length import count, limit

__all__ = ["PHRASINGS", "Customer", "draft_answer", "draft_fixed", "fits", "quoted_words"]

GREETINGS = (
    "Hi {name},",
    "Hello {name},",
    "Hey {name},",
    "{name}, thanks for flagging this.",
    "Thanks for telling us, {name}.",
    "{name}, sorry about this.",
)
QUOTES = (
    'We saw your message ("{words}").',
    'Thanks for letting us know: "{words}".',
    'You wrote "{words}", and you are not alone.',
    'About "{words}": we hear you.',
    'Re "{words}": thank you for reporting it.',
    'We read your post ("{words}").',
)
ANSWERS = (
    "We know about the problem and our engineers are working on it.",
    "This is a known issue and a fix is under way.",
    "Our team is on it right now.",
    "We are aware of the outage and working to restore service.",
    "It is a wider issue that we are already fixing.",
    "We have confirmed the problem and engineers are on it.",
)
ANSWER_CLOSINGS = (
    "We will update you here.",
    "Thanks for your patience.",
    "Sorry for the trouble.",
    "Apologies for the disruption.",
    "Hang tight, we will be back in touch.",
    "We appreciate your patience.",
)
FIXED = (
    "the problem you reported is fixed now.",
    "it is fixed: service is back.",
    "the outage is over and service is restored.",
    "our engineers have fixed the problem.",
    "good news, the issue is resolved.",
    "the fix is in and things should be back to normal.",
)
FIXED_QUOTES = (
    'You wrote "{words}".',
    'About "{words}":',
    'Following up on "{words}":',
    'Re "{words}":',
    'Back to your message ("{words}"):',
    'On "{words}":',
)
FIXED_ASKS = (
    "Is it working for you now?",
    "Is everything working on your side?",
    "Can you check it is working for you now?",
    "Is it all good for you again?",
    "Let us know if it is still not working.",
    "Does it work for you now?",
)

PHRASINGS = len(GREETINGS) * len(QUOTES) * len(ANSWERS) * len(ANSWER_CLOSINGS)
_STRIDE = 385  # coprime to 6**4: the walk visits every combination once before it repeats
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@\w+")
_QUOTE_MARKS = str.maketrans({'"': "", "“": "", "”": "", "«": "", "»": ""})
MAX_QUOTED_WORDS = 8


@dataclass(frozen=True, slots=True)
class Customer:
    """One affected customer: their conversation, network, name and the words of their post."""

    conversation_id: int
    channel: str
    name: str
    words: str
    private: bool = False


def first_name(name: str) -> str:
    """'Jane Doe' -> 'Jane'; '@jane_d' -> 'jane_d' (never an @mention: that would notify them again)."""
    cleaned = _MENTION.sub(lambda m: m.group(0)[1:], name.strip()).strip()
    return cleaned.split()[0] if cleaned.split() else "there"


def quoted_words(text: str, most: int = MAX_QUOTED_WORDS) -> str:
    """A few of the customer's own words, without links, @mentions or quote marks; '…' when cut."""
    plain = _MENTION.sub("", _URL.sub("", text)).translate(_QUOTE_MARKS)
    words = plain.split()
    if not words:
        return ""
    shown = " ".join(words[:most]).rstrip(".,;:!?")
    return shown + "…" if len(words) > most else shown


def fits(text: str, channel: str, private: bool) -> bool:
    """Whether the text fits what the network takes: its private-message limit, or its public one."""
    if private:
        found = private_rule(channel)
        return found is None or found.limit is None or found.count(text) <= found.limit
    most = limit(channel)
    return most is None or count(channel, text) <= most


def _combination(index: int, salt: int, sizes: Sequence[int]) -> list[int]:
    total = 1
    for size in sizes:
        total *= size
    k = (index * _STRIDE + salt) % total
    digits = []
    for size in sizes:
        digits.append(k % size)
        k //= size
    return digits


def _join(parts: Sequence[str]) -> str:
    """The parts as one text; after a comma ("Hi Jane,") the next part goes on in lower case."""
    out: list[str] = []
    for part in (p for p in parts if p):
        if out and out[-1].endswith(",") and not part.startswith("I "):
            part = part[0].lower() + part[1:]
        out.append(part)
    return " ".join(out)


def _compose(build: Callable[[str, bool], list[str]], customer: Customer, signature: str) -> str | None:
    """The longest version that fits: everything; then without the extras (status text, closing);
    then with fewer of the customer's words; then without their words."""
    sign = signature.strip() if not customer.private else ""
    for most in (MAX_QUOTED_WORDS, 5, 3, 0):
        words = quoted_words(customer.words, most) if most else ""
        for extras in (True, False):
            text = _join(build(words, extras))
            signed = f"{text} {sign}" if sign else text
            if fits(signed, customer.channel, customer.private):
                return signed
    return None


def draft_answer(
    customer: Customer, index: int, incident_id: int, signature: str, status_text: str = ""
) -> str | None:
    """The reply for the `index`-th customer of the incident, or None when nothing fits the network."""
    sizes = (len(GREETINGS), len(QUOTES), len(ANSWERS), len(ANSWER_CLOSINGS))
    g, q, a, c = _combination(index, incident_id, sizes)
    name = first_name(customer.name)
    status = f"Latest: {' '.join(status_text.split())}" if status_text.strip() else ""

    def build(words: str, extras: bool) -> list[str]:
        quote = QUOTES[q].format(words=words) if words else ""
        tail = [status, ANSWER_CLOSINGS[c]] if extras else []
        return [GREETINGS[g].format(name=name), quote, ANSWERS[a], *tail]

    return _compose(build, customer, signature)


def draft_fixed(customer: Customer, index: int, incident_id: int, signature: str) -> str | None:
    """The follow-up when the incident is resolved: it's fixed, is it working for you now?"""
    sizes = (len(GREETINGS), len(FIXED_QUOTES), len(FIXED), len(FIXED_ASKS))
    g, q, f, a = _combination(index, incident_id, sizes)
    name = first_name(customer.name)

    def build(words: str, extras: bool) -> list[str]:
        quote = FIXED_QUOTES[q].format(words=words) if words else ""
        lead_in = not quote or quote.endswith(".")
        body = FIXED[f][0].upper() + FIXED[f][1:] if lead_in else FIXED[f]
        return [GREETINGS[g].format(name=name), quote, body, FIXED_ASKS[a]]

    return _compose(build, customer, signature)


@dataclass(frozen=True, slots=True)
class ReplyPace:
    """How many of an incident's replies each network takes a minute (SOCIALDESK_INCIDENT_REPLY_PACE)."""

    default: float = 20.0
    per_network: tuple[tuple[str, float], ...] = ()

    def per_minute(self, channel: str) -> float:
        return dict(self.per_network).get(channel, self.default)

    def delay_seconds(self, channel: str, position: int) -> float:
        """When the `position`-th reply (from 0) on this network may go, in seconds from now."""
        return 60.0 * position / self.per_minute(channel)


def parse_pace(text: str) -> ReplyPace:
    """'default=20, mastodon=30' -> ReplyPace; raises ValueError naming the part at fault."""
    default, found = ReplyPace().default, {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, sep, value = part.partition("=")
        try:
            rate = float(value)
        except ValueError:
            rate = -1.0
        if not sep or not name.strip() or not 0 < rate <= 10_000:
            raise ValueError(f"{part!r}: expected NETWORK=REPLIES_PER_MINUTE (more than 0, at most 10000)")
        if name.strip() == "default":
            default = rate
        else:
            found[name.strip()] = rate
    return ReplyPace(default, tuple(sorted(found.items())))
