"""Hand-written rules: outage reports, spam, feedback, questions, and the harms that raise urgency.

These labels have no human-annotated training data here, so they are rules, stated openly in
the model card. Rules are word phrases matched over the post's tokens in one pass (a set
lookup per token and per pair of neighbours, in C), which is much faster than a dozen regular
expressions. In a phrase, "<num>" stands for any number.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, count, islice

_QUESTION_START = frozenset(
    [
        "how",
        "what",
        "when",
        "where",
        "why",
        "who",
        "which",
        "whom",
        "whose",
        "can",
        "could",
        "would",
        "will",
        "is",
        "are",
        "am",
        "do",
        "does",
        "did",
        "should",
        "shall",
        "may",
        "anyone",
        "anybody",
    ]
)

PHRASES: dict[str, str] = {
    "request": """please help | help me | can you help | could you help | need help | any help |
        can someone | can anyone | how do | how can | how to | is there a way | let me know |
        please advise | any update | any updates | any news | what's the status | please respond |
        please reply | please fix | please check | please dm | please call | dm me""",
    "outage": """outage | outages | is down | are down | went down | gone down | still down | down again |
        service down | site down | server down | servers down | servers are down | down for everyone |
        no service | no signal | no internet | no connection | no power | no wifi | no network |
        internet down | internet is down | internet out | not loading | won't load | wont load |
        can't connect | cant connect | cannot connect | unable to connect | connection lost |
        connection dropped | is not working | are not working | app not working | site not working |
        website not working | not working at all | not working again | isn't working | aren't working |
        stopped working | error <num> | service interrupted | service unavailable | network down |
        network is down | lost service | lost connection | lost internet | lost power | keeps crashing |
        keeps dropping | down in""",
    "spam": """follow back | follow me | followback | free followers | gain followers | giveaway |
        click here | click the link | click link | promo code | discount code | crypto | bitcoin | btc |
        followers for | forex | nft | airdrop | make money | work from home | onlyfans | casino |
        bet now | win a | win an | win free | free iphone | limited offer | check out my |
        subscribe to my | buy now | investment opportunity | double your | earn <num>""",
    "feedback": """you should | y'all should | u should | please add | pls add | would be nice |
        would be great | would be cool | would be awesome | it would be | suggestion | i suggest |
        feature request | wish you | wish there | wish it | wish i could | why not add | bring back |
        consider adding | idea for | hope you add | hope you bring | could you add | could you make |
        can you add | can you bring back | need an option | needs an option | should have""",
    "safety": """fire | smoke | smoking | burned | burnt | burning | exploded | explode | explosion |
        injured | injury | injuries | hurt | bleeding | hospital | ambulance | emergency | unsafe | danger |
        dangerous | gas leak | electrocuted | poisoning | poisoned | food poisoning | allergic | allergy |
        assault | assaulted | harassed | harassment | threatened | threat | police | medication |
        insulin | wheelchair | choking | brakes failed | brake failure""",
    "money": """charged twice | double charged | overcharged | overcharging | charged me | unauthorized |
        unauthorised | fraud | fraudulent | scam | scammed | stolen | stole | refund | refunds |
        refunded | money back | lost money | my money | took my money | billing | billed |
        chargeback | dispute | debited | deducted | overdraft | compensation | compensate |
        reimburse | reimbursement | hacked | locked out""",
    "travel": """cancelled | canceled | cancelled flight | cancellation | cancelation | delay | delayed |
        delays | late flight | missed connection | missed my connection | missed my flight |
        missed flight | stranded | stuck at | stuck in | rebook | rebooked | rebooking | lost luggage |
        lost my luggage | lost my bag | lost bag | lost baggage | luggage lost | bag lost |
        missing bag | missing luggage | damaged luggage | diverted | overbooked | bumped | tarmac |
        luggage is lost | luggage is missing | bag is lost | bag is missing | baggage is lost |
        suitcase is lost | lost suitcase | lost my suitcase""",
    "long wait": """on hold | still waiting | waiting for <num> | waiting for hours | waiting for days |
        waiting for weeks | <num> hours later | <num> days later | <num> hours now | <num> days now |
        no response | no reply | nobody answers | nobody responds | no one answers | no one responds |
        no one is responding | still no | still haven't | days ago | weeks ago | third time |
        again and again | several times | multiple times | many times | keeps happening""",
}

# Harm families and the urgency points each adds (outage counts as a harm too).
HARM_POINTS: dict[str, int] = {"safety": 30, "money": 20, "travel": 15, "outage": 20, "long wait": 10}
# "Fire TV", "fire drill", "fire sale": not a fire.
_NOT_SAFETY_NEXT = frozenset({"tv", "stick", "tablet", "hd", "alarm", "drill", "sale"})


_Entry = tuple[tuple[str, ...], str, str]  # words after the second, family, phrase


def _compile(phrases: dict[str, str]) -> dict[str, tuple[dict[str, list[_Entry]], list[tuple[str, str]]]]:
    """First word -> (second word -> longer phrases, longest first; one-word phrases).

    Trying the entries of a first word longest first, in `PHRASES` order among equals, and taking
    the first that fits is the matching rule; the second-word index only skips entries that
    cannot fit.
    """
    ordered: dict[str, list[tuple[str, ...]]] = {}
    families: dict[tuple[str, ...], list[str]] = {}
    for family, spec in phrases.items():
        for raw in spec.split("|"):
            words = tuple(raw.split())
            if words:
                ordered.setdefault(words[0], []).append(words)
                families.setdefault(words, []).append(family)
    index: dict[str, tuple[dict[str, list[_Entry]], list[tuple[str, str]]]] = {}
    for first, phrase_list in ordered.items():
        longer: dict[str, list[_Entry]] = {}
        single: list[tuple[str, str]] = []
        seen: set[tuple[str, ...]] = set()
        for words in sorted(phrase_list, key=len, reverse=True):  # stable: PHRASES order among equals
            if words in seen:
                continue
            seen.add(words)
            for family in families[words]:
                if len(words) == 1:
                    single.append((family, first))
                else:
                    longer.setdefault(words[1], []).append((words[2:], family, " ".join(words)))
        index[first] = (longer, single)
    return index


_INDEX = _compile(PHRASES)
# A phrase can start at a token only if the token is a one-word phrase or it and the next token
# begin a longer phrase; these two sets find those positions without a Python-level loop.
_SINGLE_WORDS = frozenset(first for first, (_, single) in _INDEX.items() if single)
_FIRST_PAIRS = frozenset((first, second) for first, (longer, _) in _INDEX.items() for second in longer)


def match_phrases(tokens: Sequence[str]) -> dict[str, list[str]]:
    """Family -> matched phrases, in text order."""
    found: dict[str, list[str]] = {}
    index = _INDEX
    n = len(tokens)
    starts = list(compress(count(), map(_SINGLE_WORDS.__contains__, tokens)))
    neighbours = zip(tokens, islice(tokens, 1, None), strict=False)  # (token, next token)
    pairs = list(compress(count(), map(_FIRST_PAIRS.__contains__, neighbours)))
    if pairs:
        starts = sorted(set(starts).union(pairs)) if starts else pairs
    for i in starts:
        tok = tokens[i]
        longer, single = index[tok]
        hit: tuple[str, str] | None = None
        if longer and i + 1 < n:
            for rest, family, phrase in longer.get(tokens[i + 1], ()):
                k = len(rest)
                if k and tuple(tokens[i + 2 : i + 2 + k]) != rest:
                    continue
                if family == "safety" and tok == "fire" and tokens[i + 1] in _NOT_SAFETY_NEXT:
                    continue
                hit = family, phrase
                break
        if hit is None:
            for family, phrase in single:
                if family == "safety" and tok == "fire" and i + 1 < n and tokens[i + 1] in _NOT_SAFETY_NEXT:
                    continue
                hit = family, phrase
                break
            else:
                continue
        family, phrase = hit
        hits = found.get(family)
        if hits is None:
            found[family] = [phrase]
        elif phrase not in hits:
            hits.append(phrase)
    return found


def is_question(text: str, tokens: Sequence[str], found: dict[str, list[str]] | None = None) -> bool:
    """A question or an explicit request for help."""
    if "?" in text:
        return True
    if len(tokens) > 2 and tokens[0] in _QUESTION_START:
        return True
    if found is None:
        found = match_phrases(tokens)
    return "request" in found


def spam_cues(text: str, found: dict[str, list[str]]) -> list[str]:
    """Promotional terms; a link plus a promo term, or two promo terms, counts as spam."""
    terms = found.get("spam", [])
    if not terms:
        return []
    if len(terms) >= 2 or "http" in text or "www." in text:
        return terms
    return []


def harm_cues(text: str, found: dict[str, list[str]]) -> list[tuple[str, int, str]]:
    """(harm name, urgency points, matched phrase) for each harm family present."""
    out = [(family, points, found[family][0]) for family, points in HARM_POINTS.items() if family in found]
    if "money" not in found and any(sym in text for sym in ("$", "£", "€")):
        out.append(("money", HARM_POINTS["money"], "amount of money"))
    return out
