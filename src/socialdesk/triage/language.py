"""A small, fast language detector: Unicode script first, then stopword profiles for Latin script.

Hand-built profiles (no training data for other languages is available here). Limits, also in
the model card: Latin-script languages are told apart only by function words and a few letters
(ñ, ß, ã, ğ ...), so very short posts ("@brand thanks!!") fall back to `lang_hint` or "en";
Arabic script is reported as "ar" (Persian and Urdu included), Cyrillic as "ru" unless
Ukrainian letters appear, Devanagari as "hi", Han without kana as "zh".
"""

from __future__ import annotations

import re
from functools import lru_cache

DEFAULT_LANGUAGE = "en"

_STOPWORDS: dict[str, str] = {
    "en": """the and you your is are was were have has had not this that with for from what when why how
        can could would will just my me our they them their there here been being does did dont don't
        i'm it's its of to in on at it be an or but so if all any about still please thanks thank help
        get got need want really very today flight service since again never""",
    "es": """el la los las que de del por para con una uno es está están estoy pero muy mi mis tu su
        sus como más gracias hola porque cuando donde qué no sí ya hay fue ser hacer tengo tiene
        también nos les me se lo al y o ni""",
    "fr": """le la les des est et une un du pour pas que qui dans sur avec mon ma mes vous nous je tu
        il elle sont mais très merci bonjour c'est ce cette ne plus au aux être avoir fait toujours
        j'ai n'est depuis ou""",
    "de": """der die das und ist nicht ich du sie wir ein eine einen mit auf für von zu den dem des im
        ist's aber auch noch schon bitte danke hallo warum wie was wird werden kann mein meine kein
        keine nur sehr bei seit wieder nach oder""",
    "pt": """o a os as que de do da dos das para com um uma é não sim mas muito meu minha você vocês
        obrigado obrigada olá por em no na nos nas isso esse essa está estou tem ser foi ainda já
        quando porque como também ou""",
    "it": """il lo la gli le di da che è e non un una per con sono mi ti ci del della dei delle nel nella
        grazie ciao perché come quando anche ancora già più molto questo questa ho hai ha sei siamo
        ma o""",
    "nl": """de het een en is niet ik je jij wij we zijn van op voor met dat die dit maar ook nog al
        heb hebt heeft wordt worden kan geen bedankt dank hallo waarom hoe wat wanneer mijn jullie
        naar bij om er""",
    "tr": """ve bir bu da de için ile ne değil çok ben sen biz siz var yok mi mı mu mü ama gibi daha
        neden nasıl merhaba teşekkür teşekkürler lütfen hala hiç olan olarak şu o""",
    "id": """yang dan di ke dari ini itu tidak untuk dengan saya kamu kami anda ada juga sudah belum
        bisa tolong terima kasih apa kenapa bagaimana akan atau tapi sangat mohon""",
}

# Common English words besides the stopwords: never evidence for another language.
ENGLISH_WORDS = frozenset(_STOPWORDS["en"].split()) | frozenset(
    """a i no me as new time long lost other there's you've i've we're they're customer account
    order phone app help problem issue support still ever now one more back off by up out we can't
    wait love great good day thanks am via already message direct positive""".split()  # noqa: SIM905 (a word list reads better as text)
)


def _lexicon_words(lang: str) -> frozenset[str]:
    """The words of a gloss lexicon that are evidence for its language.

    Not English words, not cognates glossed as themselves ("hospital = hospital"), and not words
    of one or two letters (elisions such as "d'" and "l'", and "u", tell little).
    """
    from socialdesk.triage.lexicons import LEXICONS

    words: set[str] = set()
    for line in LEXICONS.get(lang, "").splitlines():
        for entry in line.split("|"):
            if "=" not in entry:
                continue
            foreign, english = (part.strip().lower() for part in entry.split("=", 1))
            glossed = set(english.split())
            for word in foreign.replace("'", "' ").split():
                word = word.rstrip("'")
                if len(word) > 2 and word.isalpha() and word not in glossed:
                    words.add(word)
    return frozenset(words) - ENGLISH_WORDS


_PROFILES: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (lang, frozenset(words.split()) | (_lexicon_words(lang) if lang != "en" else frozenset()))
    for lang, words in _STOPWORDS.items()
)
_ALL_STOPWORDS = frozenset().union(*(profile for _, profile in _PROFILES))
_PROFILE_LANGUAGES = tuple(lang for lang, _ in _PROFILES)
_NO_COUNTS = bytes(len(_PROFILES))
# Each stopword as one int with a 1 in the byte of every profile holding it: summing a post's
# distinct stopwords counts them per language at once (a post has far fewer than 256 words).
_PACKED_STOPWORDS: dict[str, int] = {
    word: sum(1 << (8 * i) for i, (_, profile) in enumerate(_PROFILES) if word in profile)
    for word in _ALL_STOPWORDS
}

_LETTER_HINTS: tuple[tuple[re.Pattern[str], tuple[tuple[str, float], ...]], ...] = (
    (re.compile(r"[ñ¿¡]"), (("es", 2.0),)),
    (re.compile(r"[ãõ]"), (("pt", 2.0),)),
    (re.compile(r"ß"), (("de", 2.0),)),
    (re.compile(r"[ğşı]"), (("tr", 2.0),)),
    (re.compile(r"[äöü]"), (("de", 0.7), ("tr", 0.3))),
    (re.compile(r"[ç]"), (("fr", 0.4), ("pt", 0.4), ("tr", 0.2))),
    (re.compile(r"[èêë]"), (("fr", 0.7), ("it", 0.3))),
    (re.compile(r"[ìòù]"), (("it", 0.7), ("fr", 0.3))),
)
_ANY_HINT_RE = re.compile("|".join(pattern.pattern for pattern, _ in _LETTER_HINTS))

# (pattern, language); the script with the most characters wins over Latin letters.
_SCRIPTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]"), "ja"),  # kana
    (re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"), "ko"),
    (re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]"), "zh"),
    (re.compile(r"[\u0600-\u06ff\u0750-\u077f]"), "ar"),
    (re.compile(r"[\u0400-\u04ff]"), "ru"),
    (re.compile(r"[\u0900-\u097f]"), "hi"),
    (re.compile(r"[\u0370-\u03ff]"), "el"),
    (re.compile(r"[\u0590-\u05ff]"), "he"),
    (re.compile(r"[\u0e00-\u0e7f]"), "th"),
)
# Any character of any script above: without one, no script can win (a cheap first check).
_ANY_SCRIPT_RE = re.compile("|".join(pattern.pattern for pattern, _ in _SCRIPTS))
_UKRAINIAN_RE = re.compile(r"[іїєґ]")
_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")
SUPPORTED = frozenset(_STOPWORDS) | {lang for _, lang in _SCRIPTS} | {"uk"}


def _script_language(text: str) -> str | None:
    if _ANY_SCRIPT_RE.search(text) is None:
        return None
    counts = []
    for pattern, lang in _SCRIPTS:
        n = len(pattern.findall(text))
        if n:
            counts.append((n, lang))
    if not counts:
        return None
    latin = len(_LATIN_RE.findall(text))
    n, lang = max(counts)
    if lang == "zh" and any(code == "ja" for _, code in counts):
        lang = "ja"  # Japanese mixes kanji with kana
    if n * 2 < latin:
        return None  # a few foreign characters inside a Latin-script post
    if lang == "ru" and _UKRAINIAN_RE.search(text):
        return "uk"
    return lang


def detect_language(lowered: str, tokens: list[str], lang_hint: str | None = None) -> str:
    """ISO 639-1 code of a post from its lower-cased text and word tokens.

    `lang_hint` (e.g. the network's own guess) wins when the text carries too little evidence.
    """
    hint = lang_hint.lower()[:2] if lang_hint else None
    non_ascii = not lowered.isascii()
    if non_ascii:
        script = _script_language(lowered)
        if script is not None:
            return script
    words = _ALL_STOPWORDS.intersection(tokens)
    counts = _NO_COUNTS
    if words:
        counts = sum(map(_PACKED_STOPWORDS.__getitem__, words)).to_bytes(len(_PROFILES), "little")
    if non_ascii and _ANY_HINT_RE.search(lowered) is not None:
        scores = _scores(counts)
        for pattern, hints in _LETTER_HINTS:
            if pattern.search(lowered) is not None:
                for lang, w in hints:
                    scores[lang] = scores.get(lang, 0.0) + w
        return _choose(scores, hint)
    return _choose_by_counts(counts, hint)


def _scores(counts: bytes) -> dict[str, float]:
    """Language -> stopwords of the post in its profile, for the languages with any."""
    return {lang: float(n) for lang, n in zip(_PROFILE_LANGUAGES, counts, strict=True) if n}


@lru_cache(maxsize=4096)
def _choose_by_counts(counts: bytes, hint: str | None) -> str:
    """`_choose` when only stopwords count: a function of a few small numbers, so remembered."""
    return _choose(_scores(counts), hint)


def _choose(scores: dict[str, float], hint: str | None) -> str:
    if not scores:
        return hint or DEFAULT_LANGUAGE
    best, top, runner_up = "", -1.0, 0.0
    for lang, value in scores.items():  # insertion order is fixed, so ties resolve the same way
        if value > top:
            best, top, runner_up = lang, value, max(top, 0.0)
        elif value > runner_up:
            runner_up = value
    if hint and (top < 1.5 or top - runner_up < 0.5) and hint in scores:
        return hint
    if hint and top < 1.0:
        return hint
    return best
