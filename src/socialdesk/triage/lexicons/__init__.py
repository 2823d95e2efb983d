"""Bilingual gloss lexicons: language code -> "foreign phrase = English" entries (see `triage/gloss.py`).

Hand-written by the project's engineers from general customer-care vocabulary: outage, money,
travel and safety harms, complaint and question cues, negation, intensifiers and thanks. The
seven main languages have full lexicons; `small` holds short ones for more of the detector's.
"""

from socialdesk.triage.lexicons import de, es, fr, it, ja, nl, pt, small

LEXICONS: dict[str, str] = {
    "es": es.LEXICON,
    "de": de.LEXICON,
    "fr": fr.LEXICON,
    "pt": pt.LEXICON,
    "it": it.LEXICON,
    "nl": nl.LEXICON,
    "ja": ja.LEXICON,
    "tr": small.TR,
    "id": small.ID,
    "ru": small.RU,
    "ar": small.AR,
    "zh": small.ZH,
    "ko": small.KO,
}
# Written without spaces between words (or with particles attached): segmented by characters.
UNSPACED = frozenset({"ja", "zh", "ko"})
# Scripts the detector tells by their letters alone: always read through the gloss.
BY_SCRIPT = frozenset({"ja", "zh", "ko", "ru", "ar"})
