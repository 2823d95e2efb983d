"""Turn model feature names into words an agent can read."""

from __future__ import annotations

from functools import lru_cache

_CUES = {
    "<excl>": "'!'",
    "<excl3>": "'!!!'",
    "<q>": "'?'",
    "<caps>": "ALL CAPS",
    "<elong>": "elongated word",
    "<emo_pos>": "positive emoji",
    "<emo_neg>": "negative emoji",
    "<num>": "a number",
    "<is_reply>": "is a reply",
    "<empty>": "no words",
}


@lru_cache(maxsize=1 << 16)
def readable(feature: str) -> str:
    """Quoted words, or a named cue; "" for features that say nothing to a reader (a bare mention or link)."""
    if feature in _CUES:
        return _CUES[feature]
    parts = [p for p in feature.split(" ") if p not in {"<s>", "<user>", "<url>"}]
    if not parts:
        return ""
    words = [("not " + p[4:]) if p.startswith("neg_") else _CUES.get(p, p) for p in parts]
    return "'" + " ".join(words) + "'"


_TERMS: dict[tuple[str, ...], str] = {}  # memo of `readable_terms`; cleared when full
_TERMS_LIMIT = 1 << 16


def readable_terms(features: list[str]) -> str:
    key = tuple(features)
    text = _TERMS.get(key)
    if text is None:
        seen: list[str] = []
        for f in features:
            r = readable(f)
            if r and r not in seen:
                seen.append(r)
        text = ", ".join(seen) if seen else "no strong terms"
        if len(_TERMS) >= _TERMS_LIMIT:
            _TERMS.clear()
        _TERMS[key] = text
    return text
