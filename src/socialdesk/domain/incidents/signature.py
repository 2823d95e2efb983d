"""What the incident detector reads in a post's text: its content words and whether it reports a problem.

Pure and multilingual-safe. Text is NFKC-normalised and case-folded; a word is a run of letters and
digits (``\\w`` without the underscore); Chinese, Japanese and Thai-like scripts, which put no spaces
between words, give one word per pair of adjacent characters. URLs are dropped, ``@mention`` and
``#hashtag`` keep their word. Stopwords of the common European languages and words of one character
are left out, and so are the generic problem words themselves (``down``, ``outage``...): they say that a
post reports a problem, not what the problem is about, so they never make a topic on their own.

A post *reports a problem* when it holds a problem word or phrase in one of the languages below and
carries no laughter (``lol``, ``haha``, 😂...): a joke about slow internet repeated by many is not an
outage report (docs/incidents.md, "What counts").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

MAX_WORDS: Final = 24

_URL: Final = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_WORD: Final = re.compile(r"[^\W_]+")
# A word, or an @handle kept whole (handles hold underscores: @Ask_Spectrum is one account).
_TOKEN: Final = re.compile(r"(?<![\w@])@\w+|[^\W_]+")
# Scripts written without spaces: Han, Hiragana, Katakana, Hangul syllables are spaced but kept whole,
# Thai, Lao, Myanmar, Khmer.
_UNSPACED: Final = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]+"
)


def _wordlist(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS: Final = _wordlist(
    """
    a an the and or but if of to in on at by for with from into onto about as is are was were be been
    being am do does did doing have has had having i me my mine we us our you your yours he him his she
    her it its they them their this that these those there here what which who whom whose when where why
    how all any some no not so too very can could will would should shall may might must just also
    again still now then than only own same such up out over under more most other both each few
    off once because until while s t re ve ll d m don didn doesn isn aren wasn weren won cant im ive
    get got getting go going gone dont anyone anybody someone everyone else ever even really like one
    u ur pls please thanks thank hi hello hey yes yeah ok okay via amp rt today day since anymore
    se sin el la los las un una unos unas y o de del al en con por para que es son está están esta este
    le les des du et ou est sont pas ne je tu il elle nous vous ils mon ma mes avec pour dans sur
    der die das den dem des ein eine und oder ist sind nicht ich du er sie wir ihr mit für von zu im
    o a os as um uma e ou é são não com para em no na nos nas do da dos das
    il lo gli e di da per con non che
    de het een en of is zijn niet ik je met voor van op
    """
)

# Words that say "something is broken" without saying what. They mark a post as a problem report and
# are left out of its topic words.
PROBLEM_WORDS: Final = _wordlist(
    """
    down outage outages offline broken broke crashed crash crashing crashes dead disruption disrupted
    disconnected disconnects disconnecting dropping dropped unreachable unavailable unusable failing
    failed failure fails died dies dying error errors issue issues problem problems glitch bug bugs
    lagging laggy slow
    intermittent interruption interrupted blackout frozen freezing stuck timeout
    caído caida caída caido caídos cayó cayo falla fallas fallo averia avería cortado
    panne pannes coupure coupé plantage
    störung stoerung ausfall ausgefallen gestört kaputt
    queda caiu fora falhou falha instabilidade
    guasto disservizio interruzione
    storing uitval
    """
)
# Words of the problem phrases below that say nothing of what or where ("isn't working"): not topic words.
PHRASE_WORDS: Final = frozenset({"working", "work", "works", "loading", "load"})
# Phrases whose words are each too common to be problem words: matched on the folded text.
_PROBLEM_PHRASES: Final = re.compile(
    r"\b(?:not working|isn'?t working|stopped working|doesn'?t work|won'?t work|not loading|won'?t load|"
    r"can'?t (?:connect|log ?in|sign ?in|access|load|get on|make calls|call)|cannot (?:connect|access)|"
    r"no (?:signal|service|internet|wifi|wi-fi|connection|network|power|data|coverage|dial tone|cable|"
    r"broadband)|"
    r"keeps? (?:dropping|crashing|disconnecting|freezing)|"
    r"no funciona|sin (?:servicio|internet|señal|senal|conexión|conexion|luz|wifi|datos|red|cobertura)|"
    r"ne marche pas|"
    r"ne fonctionne pas|pas de (?:réseau|reseau|connexion|signal|wifi|internet)|"
    r"funktioniert nicht|geht nicht|kein (?:netz|internet|empfang|wlan)|"
    r"não funciona|sem (?:sinal|internet|serviço|servico|wifi|dados|rede)|"
    r"non funziona|werkt niet|geen (?:bereik|internet|verbinding))\b"
)
# Problem words said in the negative ("no issues at all", "zero lag") are no report.
_NOT_PROBLEM: Final = re.compile(
    r"\b(?:no|zero|without|never|not a single|sin|sans|kein|keine|sem|nessun) "
    r"(?:problems?|issues?|lag|bugs?|glitch(?:es)?|errors?|problemas?|problèmes?|probleme?)\b"
)
# Scripts without spaces have no word boundaries: these are matched anywhere.
_UNSPACED_PROBLEM: Final = re.compile("障害|繋がらない|つながらない|落ちてる|故障|宕机|断网|无法连接|掉线|ล่ม")
_LAUGHTER: Final = re.compile(
    r"\b(?:lol+|lmf?ao+|rofl|haha[ha]*|hehe[he]*|jaja[ja]*|kkkk+|mdr|xd+|jk)\b|[\U0001F602\U0001F923\U0001F480]",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Signature:
    """A post as the detector sees it: its topic words (sorted, at most MAX_WORDS) and whether it
    reports a problem."""

    words: tuple[str, ...]
    problem: bool


def fold(text: str) -> str:
    """NFKC, case-folded, URLs dropped; curly apostrophes made straight."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")
    return _URL.sub(" ", text)


def _unspaced_pairs(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def words_of(folded: str) -> list[str]:
    """The content words of folded text, in order, duplicates kept."""
    out: list[str] = []
    for word in _TOKEN.findall(folded):
        if word[0] == "@":
            word = word[1:]
            if len(word) > 1 and not word.isdigit():
                out.append(word)
            continue
        if _UNSPACED.search(word):
            for part in _UNSPACED.split(word):
                if len(part) > 1 and part not in STOPWORDS and not part.isdigit():
                    out.append(part)
            for run in _UNSPACED.findall(word):
                out.extend(_unspaced_pairs(run))
            continue
        if (
            len(word) < 2
            or word in STOPWORDS
            or word in PROBLEM_WORDS
            or word in PHRASE_WORDS
            or word.isdigit()
        ):
            continue
        out.append(word)
    return out


def reports_problem(folded: str) -> bool:
    """Whether folded text reports a problem (and is not laughing)."""
    if _LAUGHTER.search(folded):
        return False
    folded = _NOT_PROBLEM.sub(" ", folded)
    if _PROBLEM_PHRASES.search(folded) or _UNSPACED_PROBLEM.search(folded):
        return True
    return any(w in PROBLEM_WORDS for w in _WORD.findall(folded))


def signature(text: str) -> Signature:
    folded = fold(text)
    words = sorted(set(words_of(folded)))[:MAX_WORDS]
    return Signature(tuple(words), reports_problem(folded))


def wording(text: str) -> str:
    """The text's words in order, folded, punctuation and URLs gone: two posts with the same wording
    are copies of one text."""
    return " ".join(_TOKEN.findall(fold(text)))
