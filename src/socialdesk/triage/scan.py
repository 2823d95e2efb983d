"""The batch path's scan: `features.extract` for many posts, giving vocabulary ids instead of names.

`Triager.triage_many` needs, per post, only the ids of its features known to the model (in text
order, repeats kept), its words and its cue bits. `scan` gives exactly that for a batch, with the
same chunk memo as `extract` (so the two share every chunk plan), in one call: the optional C
extension `_scan.c` when it was built, else `scan_python`, the same loop in Python. No feature
name list is built per post. The property tests hold both to `reference_scan`, which is
`extract` followed by the vocabulary lookup the model's `score_many` does.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from socialdesk.triage import features
from socialdesk.triage.features import (
    _BIT,
    _CUE_NAMES,
    _DIGIT,
    _EMAIL_AT,
    _FEATURE_CUES,
    _INTENSE,
    IS_REPLY_FEATURE,
    extract,
)

try:
    from socialdesk.triage import _scan
except ImportError:  # built without a C compiler: `scan_python` does the same
    _scan = None  # type: ignore[assignment]

REPLY_BIT = _BIT[IS_REPLY_FEATURE]
EMPTY_BIT = _BIT["<empty>"]
INTENSE, DIGIT, EMAIL_AT = _INTENSE, _DIGIT, _EMAIL_AT  # the facts `Extracted` gives, as cue bits


class Scanned(NamedTuple):
    """A batch scanned: ids of known features post after post, how many per post, words, cue bits."""

    ids: bytes  # native int64
    counts: bytes  # native int64, one per post
    words: list[list[str]]
    cues: list[int]


def cue_ids(index: Mapping[str, int]) -> tuple[tuple[int, ...], ...]:
    """For every cue mask, the ids of its cue features known to `index` (name order, as `extract`)."""
    return tuple(tuple(index[name] for name in names if name in index) for names in _CUE_NAMES)


def scan_python(
    texts: Sequence[str],
    replies: Sequence[bool],
    index: Mapping[str, int],
    cues_of_mask: tuple[tuple[int, ...], ...],
) -> Scanned:
    """The scan in Python: `extract`'s chunk loop, looking each feature up instead of listing it."""
    ids = array("q")
    counts = array("q")
    all_words: list[list[str]] = []
    all_cues: list[int] = []
    plans = features.PLANS
    plan_missing = features.plan_missing
    get = index.get
    for text, reply in zip(texts, replies, strict=True):
        before = len(ids)
        words: list[str] = []
        cues = 0
        negate = 0
        any_feature = False
        for chunk in text.split():
            plan = plans[negate].get(chunk)
            if plan is None:
                plan = plan_missing(chunk, negate)
            chunk_feats, chunk_words, chunk_cues, negate = plan
            if chunk_feats:
                any_feature = True
                ids.extend(i for i in map(get, chunk_feats) if i is not None)
            words += chunk_words
            cues |= chunk_cues
        if reply:
            cues |= REPLY_BIT
        if not any_feature:
            cues |= EMPTY_BIT
        ids.extend(cues_of_mask[cues & _FEATURE_CUES])
        counts.append(len(ids) - before)
        all_words.append(words)
        all_cues.append(cues)
    return Scanned(ids.tobytes(), counts.tobytes(), all_words, all_cues)


def scan(
    texts: list[str],
    replies: list[bool],
    index: dict[str, int],
    cues_of_mask: tuple[tuple[int, ...], ...],
) -> Scanned:
    """`scan_python`, by the C extension when it was built."""
    if _scan is None:
        return scan_python(texts, replies, index, cues_of_mask)
    ids, counts, words, cues = _scan.scan(
        texts,
        replies,
        features.PLANS,
        features.plan_missing,
        index,
        cues_of_mask,
        REPLY_BIT,
        EMPTY_BIT,
        _FEATURE_CUES,
    )
    return Scanned(ids, counts, words, cues)


def reference_scan(
    texts: Sequence[str], replies: Sequence[bool], index: Mapping[str, int]
) -> tuple[list[list[int]], list[list[str]], list[tuple[bool, bool, bool]]]:
    """What `scan` must give, from `extract`: known feature ids, tokens, (intense, digit, email_at)."""
    exs = [extract(text, is_reply=reply) for text, reply in zip(texts, replies, strict=True)]
    return (
        [[index[f] for f in ex.features if f in index] for ex in exs],
        [ex.tokens for ex in exs],
        [(ex.intense, ex.has_digit, ex.email_at) for ex in exs],
    )
