"""Turn a post into the feature strings the linear model scores.

One function, `extract`, is shared by training and inference so the two can never drift apart.
It is pure Python and tuned for speed (what each whitespace-separated chunk contributes is
computed once per chunk and negation state and remembered in a bounded memo): word
unigrams (negation-marked) and social-media cues (emoji, emoticons, elongation,
"!!!", ALL CAPS, question marks, links, mentions).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from socialdesk.triage.private_data import has_digit, may_have_email

# Applied to whitespace-separated chunks that are not plain words (most chunks are, and skip it).
_TOKEN_RE = re.compile(
    r"""
    [^\W\d_]+(?:['’][^\W\d_]+)?                # word, with one apostrophe
    |@\w+                                       # mention
    |\#\w+                                      # hashtag
    |\d+(?:[.,:]\d+)*                           # number
    |[!?]+                                      # exclamation / question runs
    |[<>]?[:;=][\-o*']?[)\](\[dp/\\|@3]+         # western emoticon (text is lower-cased)
    |[.,;:]                                     # scope breakers for negation
    |[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2764]  # emoji
    """,
    re.VERBOSE,
)
# Lower-cased ASCII letters except w (keeps "www."); 3x faster than a Unicode letter class.
_ELONG_RE = re.compile(r"([a-vx-z])\1\1+")
_CAPS_RE = re.compile(r"\b[A-Z]{3,}\b")

NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "cannot",
        "cant",
        "can't",
        "can’t",
        "dont",
        "don't",
        "don’t",
        "doesnt",
        "doesn't",
        "doesn’t",
        "didnt",
        "didn't",
        "didn’t",
        "isnt",
        "isn't",
        "isn’t",
        "wasnt",
        "wasn't",
        "wasn’t",
        "arent",
        "aren't",
        "aren’t",
        "werent",
        "weren't",
        "weren’t",
        "wont",
        "won't",
        "won’t",
        "wouldnt",
        "wouldn't",
        "wouldn’t",
        "couldnt",
        "couldn't",
        "couldn’t",
        "shouldnt",
        "shouldn't",
        "shouldn’t",
        "havent",
        "haven't",
        "haven’t",
        "hasnt",
        "hasn't",
        "hasn’t",
        "hadnt",
        "hadn't",
        "hadn’t",
        "nothing",
        "nobody",
        "none",
        "nor",
        "neither",
        "without",
        "ain't",
        "aint",
    ]
)
_SCOPE_BREAKERS = frozenset(".,;:!?")

POSITIVE_EMOJI = frozenset(
    "😀😁😂😃😄😅😆😉😊😋😍😎😘😙😚🙂🤗🤩🥰😻👍👏🙌💪🎉🎊✨⭐🌟💯🔥❤💕💖💗💙💚💛💜🧡💓💞🙏☺😇🤣"
)
NEGATIVE_EMOJI = frozenset("😞😟😠😡😢😣😤😥😦😧😨😩😪😫😭😰😱😒😔😕🙁☹👎💔🤬🤮🤢😖😬🙄😑😐🤦🤷")
_POSITIVE_EMOTICON_CHARS = frozenset(")]dDpP3")
_NEGATIVE_EMOTICON_CHARS = frozenset("([/\\|@")

IS_REPLY_FEATURE = "<is_reply>"


# Cues are gathered as bits of one int while scanning; `_CUE_NAMES[mask]` lists them sorted by name.
_CUES = (
    "<elong>",
    "<caps>",
    "<excl>",
    "<excl3>",
    "<q>",
    "<emo_pos>",
    "<emo_neg>",
    IS_REPLY_FEATURE,
    "<empty>",
)
_BIT = {name: 1 << i for i, name in enumerate(_CUES)}
_CUE_NAMES: tuple[tuple[str, ...], ...] = tuple(
    tuple(sorted(name for name in _CUES if mask & _BIT[name])) for mask in range(1 << len(_CUES))
)
_INTENSE = _BIT["<excl3>"] | _BIT["<caps>"]
# Two more bits, facts for the private-data search rather than features (see `Extracted`).
_DIGIT = 1 << len(_CUES)
_EMAIL_AT = _DIGIT << 1
_FEATURE_CUES = _DIGIT - 1
_GENERATION_LIMIT = 1 << 14  # chunks per memo generation and negation state (see `plan_missing`)


class Extracted(NamedTuple):
    """Feature strings for the model plus what the rules, language and private-data search reuse."""

    features: list[str]
    tokens: list[str]  # lower-cased words and "<num>" (no links, mentions, punctuation or emoji)
    intense: bool = False  # "!!!" or a word in ALL CAPS
    has_digit: bool = True  # `private_data.has_digit(text)`
    email_at: bool = True  # `private_data.may_have_email(text)`


def tokenize(lowered: str) -> list[str]:
    """Split lower-cased text into tokens; links become the single token "<url>"."""
    out: list[str] = []
    for chunk in lowered.split():
        out.extend(_chunk_tokens(chunk))
    return out


def _chunk_tokens(chunk: str) -> list[str]:
    if chunk.isalpha():
        return [chunk]
    if chunk.startswith(("http://", "https://", "www.")):
        return ["<url>"]
    return _TOKEN_RE.findall(chunk)


# What one whitespace-separated chunk adds: features, words, cue bits, and the negation state after it.
_ChunkPlan = tuple[tuple[str, ...], tuple[str, ...], int, int]


def _plan_word(chunk: str, lowered: str, negate: int) -> _ChunkPlan:
    """`_plan_chunk` of a chunk of letters whose lower-cased form is letters too: one word token."""
    cues = 0
    if _ELONG_RE.search(lowered) is not None:
        lowered = _ELONG_RE.sub(r"\1\1", lowered)  # still letters only
        cues |= _BIT["<elong>"]
    if not chunk.islower() and _CAPS_RE.search(chunk) is not None:
        cues |= _BIT["<caps>"]
    if lowered in NEGATIONS:
        return (lowered,), (lowered,), cues, 3
    if negate:
        return ("neg_" + lowered,), (lowered,), cues, negate - 1
    return (lowered,), (lowered,), cues, 0


# The batch path's inner pass, kept in one frame for speed (`socialdesk bench triage`): not split.
def _plan_chunk(chunk: str, negate: int) -> _ChunkPlan:  # noqa: C901 (hot: one frame)
    """Scan one chunk of the original text, entering with `negate` words still to be negated.

    Every pattern involved (elongation, ALL CAPS, tokens) stays within a whitespace-free chunk, so
    scanning chunk by chunk gives exactly what scanning the whole text would.
    """
    cues = 0
    if chunk.isalpha():  # letters only (no digit, no "@"): the most common chunk, on a short path
        lowered = chunk.lower()
        if lowered.isalpha():  # (lower-casing may add a combining mark, which is no letter)
            return _plan_word(chunk, lowered, negate)
    else:  # both facts hold for a text exactly when they hold for one of its chunks
        if has_digit(chunk):
            cues |= _DIGIT
        if "@" in chunk and may_have_email(chunk):
            cues |= _EMAIL_AT
    lowered = chunk.lower()
    if _ELONG_RE.search(lowered) is not None:
        lowered = _ELONG_RE.sub(r"\1\1", lowered)
        cues |= _BIT["<elong>"]
    if not chunk.islower() and _CAPS_RE.search(chunk) is not None:  # all lower case: no capitals
        cues |= _BIT["<caps>"]
    feats: list[str] = []
    words: list[str] = []
    append = feats.append
    for tok in _chunk_tokens(lowered):
        if tok.isalpha():
            words.append(tok)
            if tok in NEGATIONS:
                append(tok)
                negate = 3
                continue
            norm = tok
        else:
            first = tok[0]
            if first == "<":
                if tok == "<url>":
                    norm = tok
                elif len(tok) > 1:
                    norm = "<emo_pos>" if tok[-1] in _POSITIVE_EMOTICON_CHARS else "<emo_neg>"
                else:
                    continue
            elif first == "@":
                norm = "<user>"
            elif first == "#":
                norm = tok[1:]
                append(tok)
            elif first in _SCOPE_BREAKERS:
                negate = 0
                if len(tok) > 1 and first in ":;=":
                    norm = "<emo_pos>" if tok[-1] in _POSITIVE_EMOTICON_CHARS else "<emo_neg>"
                else:
                    if "!" in tok:
                        cues |= _BIT["<excl>"]
                        if len(tok) >= 3:
                            cues |= _BIT["<excl3>"]
                    if "?" in tok:
                        cues |= _BIT["<q>"]
                    continue
            elif first.isdigit():
                norm = "<num>"
                words.append(norm)
            elif len(tok) == 1 and not first.isalpha():
                if tok in POSITIVE_EMOJI:
                    cues |= _BIT["<emo_pos>"]
                elif tok in NEGATIVE_EMOJI:
                    cues |= _BIT["<emo_neg>"]
                norm = tok
            else:
                # word with an apostrophe ("can't", "it’s")
                norm = tok.replace("’", "'")
                words.append(norm)
                if norm in NEGATIONS or norm.endswith("n't"):
                    append(norm)
                    negate = 3
                    continue
        if negate:
            append("neg_" + norm)
            negate -= 1
        else:
            append(norm)
    return tuple(feats), tuple(words), cues, negate


# Memo of `_plan_chunk`, one per entering negation state, in two generations: when the current one
# is full it becomes the previous one (a hit there moves back), so chunks in steady use stay
# remembered and at most 2 x _GENERATION_LIMIT chunks are held per state.
PLANS: list[dict[str, _ChunkPlan]] = [{}, {}, {}, {}]
_PREVIOUS: list[dict[str, _ChunkPlan]] = [{}, {}, {}, {}]


def clear_memo() -> None:
    """Forget every remembered chunk (results never depend on the memo)."""
    for memo in (*PLANS, *_PREVIOUS):
        memo.clear()


def plan_missing(chunk: str, negate: int) -> _ChunkPlan:
    """The plan of a chunk missing from the current memo generation; remembered there now."""
    plan = _PREVIOUS[negate].get(chunk) or _plan_chunk(chunk, negate)
    memo = PLANS[negate]
    if len(memo) >= _GENERATION_LIMIT:
        _PREVIOUS[negate] = memo
        memo = PLANS[negate] = {}
    memo[chunk] = plan
    return plan


def extract(text: str, *, is_reply: bool = False) -> Extracted:
    """Features of one post. Deterministic; never raises on any string.

    Posts are scanned chunk by chunk (whitespace-separated); what a chunk contributes depends only
    on the chunk and the negation state it is entered with, so it is computed once and remembered.
    """
    feats: list[str] = []
    words: list[str] = []
    cues = 0
    negate = 0
    plans = PLANS
    for chunk in text.split():
        plan = plans[negate].get(chunk)
        if plan is None:
            plan = plan_missing(chunk, negate)
        chunk_feats, chunk_words, chunk_cues, negate = plan
        feats += chunk_feats
        words += chunk_words
        cues |= chunk_cues
    if is_reply:
        cues |= _BIT[IS_REPLY_FEATURE]
    if not feats:
        cues |= _BIT["<empty>"]
    feats += _CUE_NAMES[cues & _FEATURE_CUES]
    return Extracted(feats, words, (cues & _INTENSE) != 0, (cues & _DIGIT) != 0, (cues & _EMAIL_AT) != 0)
