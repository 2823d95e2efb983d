"""User-perceived characters (extended grapheme clusters, Unicode UAX #29), without a dependency.

It follows the rules that matter for social text: CR LF, controls, Hangul syllables, combining marks
and spacing marks, emoji modifier and ZWJ sequences, keycaps, tag sequences (subdivision flags) and
regional-indicator flag pairs. Left out: the Indic conjunct rule (GB9c, Unicode 15.1), so a Devanagari
conjunct may count as two clusters where the newest browsers count one.

Extended_Pictographic comes from the table below (emoji-data.txt, Unicode 15); everything else from
:mod:`unicodedata`.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from enum import IntEnum
from functools import lru_cache

__all__ = ["grapheme_spans", "graphemes", "is_emoji_cluster", "is_extended_pictographic"]

# Extended_Pictographic=Yes ranges (inclusive), from Unicode's emoji-data.txt.
_EXT_PICT = (
    (0x00A9, 0x00A9), (0x00AE, 0x00AE), (0x203C, 0x203C), (0x2049, 0x2049), (0x2122, 0x2122),
    (0x2139, 0x2139), (0x2194, 0x2199), (0x21A9, 0x21AA), (0x231A, 0x231B), (0x2328, 0x2328),
    (0x2388, 0x2388), (0x23CF, 0x23CF), (0x23E9, 0x23F3), (0x23F8, 0x23FA), (0x24C2, 0x24C2),
    (0x25AA, 0x25AB), (0x25B6, 0x25B6), (0x25C0, 0x25C0), (0x25FB, 0x25FE), (0x2600, 0x2605),
    (0x2607, 0x2612), (0x2614, 0x2685), (0x2690, 0x2705), (0x2708, 0x2712), (0x2714, 0x2714),
    (0x2716, 0x2716), (0x271D, 0x271D), (0x2721, 0x2721), (0x2728, 0x2728), (0x2733, 0x2734),
    (0x2744, 0x2744), (0x2747, 0x2747), (0x274C, 0x274C), (0x274E, 0x274E), (0x2753, 0x2755),
    (0x2757, 0x2757), (0x2763, 0x2767), (0x2795, 0x2797), (0x27A1, 0x27A1), (0x27B0, 0x27B0),
    (0x27BF, 0x27BF), (0x2934, 0x2935), (0x2B05, 0x2B07), (0x2B1B, 0x2B1C), (0x2B50, 0x2B50),
    (0x2B55, 0x2B55), (0x3030, 0x3030), (0x303D, 0x303D), (0x3297, 0x3297), (0x3299, 0x3299),
    (0x1F000, 0x1F0FF), (0x1F10D, 0x1F10F), (0x1F12F, 0x1F12F), (0x1F16C, 0x1F171),
    (0x1F17E, 0x1F17F), (0x1F18E, 0x1F18E), (0x1F191, 0x1F19A), (0x1F1AD, 0x1F1E5),
    (0x1F201, 0x1F20F), (0x1F21A, 0x1F21A), (0x1F22F, 0x1F22F), (0x1F232, 0x1F23A),
    (0x1F23C, 0x1F23F), (0x1F249, 0x1F3FA), (0x1F400, 0x1F53D), (0x1F546, 0x1F64F),
    (0x1F680, 0x1F6FF), (0x1F774, 0x1F77F), (0x1F7D5, 0x1F7FF), (0x1F80C, 0x1F80F),
    (0x1F848, 0x1F84F), (0x1F85A, 0x1F85F), (0x1F888, 0x1F88F), (0x1F8AE, 0x1F8FF),
    (0x1F90C, 0x1F93A), (0x1F93C, 0x1F945), (0x1F947, 0x1FAFF), (0x1FC00, 0x1FFFD),
)  # fmt: skip
_EXT_PICT_STARTS = tuple(start for start, _ in _EXT_PICT)

_ZWJ = 0x200D
_VS16 = 0xFE0F
_KEYCAP = 0x20E3
_PREPEND = frozenset({0x0600, 0x0601, 0x0602, 0x0603, 0x0604, 0x0605, 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2})


class _Prop(IntEnum):
    OTHER = 0
    CR = 1
    LF = 2
    CONTROL = 3
    EXTEND = 4
    ZWJ = 5
    REGIONAL = 6
    PREPEND = 7
    SPACING_MARK = 8
    L = 9
    V = 10
    T = 11
    LV = 12
    LVT = 13


def is_extended_pictographic(code_point: int) -> bool:
    index = bisect_right(_EXT_PICT_STARTS, code_point) - 1
    return index >= 0 and code_point <= _EXT_PICT[index][1]


@lru_cache(maxsize=4096)
def _prop(char: str) -> _Prop:
    cp = ord(char)
    if cp < 0x7F:
        if cp == 0x0D:
            return _Prop.CR
        if cp == 0x0A:
            return _Prop.LF
        return _Prop.CONTROL if cp < 0x20 else _Prop.OTHER
    if cp == _ZWJ:
        return _Prop.ZWJ
    if 0x1F1E6 <= cp <= 0x1F1FF:
        return _Prop.REGIONAL
    if 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F or cp == 0x200C:
        return _Prop.EXTEND  # emoji modifiers, tags, ZWNJ
    if cp in _PREPEND:
        return _Prop.PREPEND
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97C:
        return _Prop.L
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return _Prop.V
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return _Prop.T
    if 0xAC00 <= cp <= 0xD7A3:
        return _Prop.LV if (cp - 0xAC00) % 28 == 0 else _Prop.LVT
    category = unicodedata.category(char)
    if category in ("Mn", "Me"):
        return _Prop.EXTEND
    if category == "Mc":
        return _Prop.SPACING_MARK
    if category in ("Cc", "Cf", "Zl", "Zp"):
        return _Prop.CONTROL
    return _Prop.OTHER


_HANGUL_JOINS = {
    _Prop.L: frozenset({_Prop.L, _Prop.V, _Prop.LV, _Prop.LVT}),
    _Prop.LV: frozenset({_Prop.V, _Prop.T}),
    _Prop.V: frozenset({_Prop.V, _Prop.T}),
    _Prop.LVT: frozenset({_Prop.T}),
    _Prop.T: frozenset({_Prop.T}),
}
_BREAK_AROUND = frozenset({_Prop.CR, _Prop.LF, _Prop.CONTROL})
_NO_BREAK_BEFORE = frozenset({_Prop.EXTEND, _Prop.ZWJ, _Prop.SPACING_MARK})


def grapheme_spans(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` string indexes of each grapheme cluster, in order."""
    if not text:
        return
    start = 0
    prev = _prop(text[0])
    regional_run = 1 if prev is _Prop.REGIONAL else 0
    # Emoji state for GB11: 1 after ExtPict Extend*, 2 after ExtPict Extend* ZWJ.
    emoji = 1 if is_extended_pictographic(ord(text[0])) else 0
    for index in range(1, len(text)):
        char = text[index]
        cur = _prop(char)
        pict = is_extended_pictographic(ord(char))
        if prev is _Prop.CR and cur is _Prop.LF:
            join = True
        elif prev in _BREAK_AROUND or cur in _BREAK_AROUND:
            join = False
        elif (
            cur in _HANGUL_JOINS.get(prev, ())
            or cur in _NO_BREAK_BEFORE
            or prev is _Prop.PREPEND
            or (emoji == 2 and pict)
        ):
            join = True
        elif prev is _Prop.REGIONAL and cur is _Prop.REGIONAL:
            join = regional_run % 2 == 1
        else:
            join = False
        if not join:
            yield start, index
            start = index
        regional_run = regional_run + 1 if cur is _Prop.REGIONAL else 0
        if pict or (cur is _Prop.EXTEND and emoji == 1):
            emoji = 1
        elif cur is _Prop.ZWJ and emoji == 1:
            emoji = 2
        else:
            emoji = 0
        prev = cur
    yield start, len(text)


def graphemes(text: str) -> list[str]:
    return [text[start:end] for start, end in grapheme_spans(text)]


def is_emoji_cluster(cluster: str) -> bool:
    """Whether a grapheme cluster shows as an emoji: a pictograph (not a bare text-style (c)/(r)), a
    flag, a keycap, or anything carrying VS16 or a skin-tone modifier."""
    if len(cluster) >= 2 and _prop(cluster[0]) is _Prop.REGIONAL:
        return True
    for char in cluster:
        cp = ord(char)
        if cp in (_VS16, _KEYCAP) or 0x1F3FB <= cp <= 0x1F3FF:
            return True
        if cp > 0xAE and is_extended_pictographic(cp):
            return True
    return False
