"""Bilingual gloss lexicons: language code -> "foreign phrase = English" entries (see `triage/gloss.py`).

Hand-written by the project's engineers from general customer-care vocabulary: outage, money,
travel and safety harms, complaint and question cues, negation, intensifiers and thanks.
"""

from socialdesk.triage.lexicons import de, es, fr, it, ja, nl, pt

LEXICONS: dict[str, str] = {
    "es": es.LEXICON,
    "de": de.LEXICON,
    "fr": fr.LEXICON,
    "pt": pt.LEXICON,
    "it": it.LEXICON,
    "nl": nl.LEXICON,
    "ja": ja.LEXICON,
}
