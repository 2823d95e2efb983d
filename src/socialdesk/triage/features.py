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
_CACHE_LIMIT = 1 << 15  # chunks remembered per negation state; the memo is cleared when full


class Extracted(NamedTuple):
    """Feature strings for the model plus the tokens the rules and language detector reuse."""

    features: list[str]
    tokens: list[str]  # lower-cased words and "<num>" (no links, mentions, punctuation or emoji)
    intense: bool = False  # "!!!" or a word in ALL CAPS


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


def _plan_chunk(chunk: str, negate: int) -> _ChunkPlan:
    """Scan one chunk of the original text, entering with `negate` words still to be negated.

    Every pattern involved (elongation, ALL CAPS, tokens) stays within a whitespace-free chunk, so
    scanning chunk by chunk gives exactly what scanning the whole text would.
    """
    cues = 0
    lowered = chunk.lower()
    if _ELONG_RE.search(lowered) is not None:
        lowered = _ELONG_RE.sub(r"\1\1", lowered)
        cues |= _BIT["<elong>"]
    if _CAPS_RE.search(chunk) is not None:
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


_PLANS: tuple[dict[str, _ChunkPlan], ...] = ({}, {}, {}, {})  # one memo per entering negation state


def extract(text: str, *, is_reply: bool = False) -> Extracted:
    """Features of one post. Deterministic; never raises on any string.

    Posts are scanned chunk by chunk (whitespace-separated); what a chunk contributes depends only
    on the chunk and the negation state it is entered with, so it is computed once and remembered.
    """
    feats: list[str] = []
    words: list[str] = []
    cues = 0
    negate = 0
    plans = _PLANS
    for chunk in text.split():
        memo = plans[negate]
        plan = memo.get(chunk)
        if plan is None:
            plan = _plan_chunk(chunk, negate)
            if len(memo) >= _CACHE_LIMIT:
                memo.clear()
            memo[chunk] = plan
        chunk_feats, chunk_words, chunk_cues, negate = plan
        feats += chunk_feats
        words += chunk_words
        cues |= chunk_cues
    if is_reply:
        cues |= _BIT[IS_REPLY_FEATURE]
    if not feats:
        cues |= _BIT["<empty>"]
    feats += _CUE_NAMES[cues]
    return Extracted(feats, words, (cues & _INTENSE) != 0)
