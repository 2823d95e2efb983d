"""The multilingual reading of posts: cues, harms, negation, questions and explanations per language."""

from __future__ import annotations

import pytest

from socialdesk.triage import Triager
from socialdesk.triage.features import extract
from socialdesk.triage.gloss import gloss, worth_glossing


@pytest.fixture(scope="module")
def triager() -> Triager:
    return Triager()


# Written for this test (not in the parity sets): one outage report per language.
OUTAGES = {
    "es": "@KestrelSupport la app no funciona desde esta mañana en Madrid",
    "de": "@KestrelSupport Kestrel Stream lädt in Berlin nicht",
    "fr": "@KestrelSupport l'appli ne marche pas depuis ce matin à Lyon",
    "pt": "@KestrelSupport o app não está funcionando desde hoje de manhã em Lisboa",
    "it": "@KestrelSupport l'app non funziona da stamattina a Milano",
    "nl": "@KestrelSupport de app werkt niet sinds vanochtend in Utrecht",
    "ja": "@KestrelSupport 今朝からアプリが使えません",
}


@pytest.mark.parametrize(("lang", "text"), OUTAGES.items())
def test_outage_in_each_language_needs_a_reply(triager: Triager, lang: str, text: str) -> None:
    result = triager.triage(text)
    assert result.language == lang
    assert result.needs_reply
    assert result.category == "outage_report"
    assert result.urgency >= 30


def test_the_issue_example_is_no_longer_urgency_zero(triager: Triager) -> None:
    result = triager.triage("@KestrelSupport Kestrel Stream lädt in Berlin nicht")
    english = triager.triage("@KestrelSupport Kestrel Stream is not loading in Berlin")
    assert result.needs_reply and english.needs_reply
    assert abs(result.urgency - english.urgency) <= 15


@pytest.mark.parametrize(
    ("text", "harm"),
    [
        ("@SkylarkHelp me cobraron dos veces el billete y quiero un reembolso", "money"),
        ("@SkylarkHelp Flug gestrichen, ich sitze in Frankfurt fest", "travel"),
        ("@HarborBankHelp il y a de la fumée qui sort du distributeur, c'est dangereux", "safety"),
        ("@SkylarkHelp meu voo foi cancelado e estou preso no aeroporto", "travel"),
        ("@HarborBankHelp mi avete addebitato due volte, rivoglio i miei soldi", "money"),
        ("@SkylarkHelp mijn bagage is kwijt en niemand reageert", "travel"),
        ("@SkylarkHelp フライトが欠航になりました。返金してください", "travel"),
    ],
)
def test_harms_in_each_language(triager: Triager, text: str, harm: str) -> None:
    result = triager.triage(text)
    urgency_line = result.explanation[-1]
    assert f"{harm} '" in urgency_line, result.explanation


def test_explanations_quote_the_posts_own_words(triager: Triager) -> None:
    result = triager.triage("@KestrelSupport das Internet funktioniert nicht, bitte helfen Sie mir")
    assert result.explanation[0] == "category outage_report: rule: 'funktioniert nicht'"
    money = triager.triage("@HarborBankHelp quiero un reembolso ya")
    assert "money 'reembolso' +20" in money.explanation[-1]
    assert "refund" not in " ".join(money.explanation)


@pytest.mark.parametrize(
    "text",
    [
        "@SkylarkHelp ¿puedo llevar la guitarra en cabina",  # the inverted mark alone makes a question
        "@SkylarkHelp 手荷物は何キロまでですか",  # か at the end, no question mark
        "@SkylarkHelp 手荷物は何キロまでですか？",  # full-width question mark
        "@KestrelSupport kann man Folgen herunterladen",  # "kann man" (can I)
    ],
)
def test_question_forms(triager: Triager, text: str) -> None:
    result = triager.triage(text)
    assert result.needs_reply, result.explanation


@pytest.mark.parametrize(
    ("negative", "positive"),
    [
        ("la app no funciona", "la app funciona"),
        ("die App funktioniert nicht", "die App funktioniert endlich"),
        ("l'appli ne marche pas", "l'appli marche enfin"),
    ],
)
def test_negation_turns_a_working_service_into_an_outage(
    triager: Triager, negative: str, positive: str
) -> None:
    assert triager.triage(negative).category == "outage_report"
    assert triager.triage(positive).category != "outage_report"


def test_intensity_is_kept_from_the_original(triager: Triager) -> None:
    calm = triager.triage("@KestrelSupport la app no funciona")
    loud = triager.triage("@KestrelSupport LA APP NO FUNCIONA!!!")
    assert "intensity +5" in loud.explanation[-1]
    assert loud.urgency > calm.urgency


def test_praise_needs_no_reply_in_other_languages(triager: Triager) -> None:
    praise = ("¡Muchas gracias @AlaskaAir, excelente servicio!", "Vielen Dank @AlaskaAir, toller Service!")
    for text in praise:
        result = triager.triage(text)
        assert not result.needs_reply, result.explanation
        assert result.urgency == 0


def test_english_misdetected_as_another_language_stays_english() -> None:
    # Real TWCS-style English with "no", "a", "in": the stopword profiles call it Portuguese.
    words = extract("@VerizonSupport No changes in a long time. No new hardware in a long time.").tokens
    assert not worth_glossing("pt", words)
    assert worth_glossing("es", extract("el internet no funciona desde ayer").tokens)


def test_gloss_remembers_the_source_words() -> None:
    glossed = gloss("Mein Flug wurde gestrichen", "de")
    assert glossed is not None
    assert "cancelled" in glossed.text.split()
    assert glossed.sources["cancelled"] == "gestrichen"
    assert gloss("anything", "xx") is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("@THY uçuşum iptal edildi ve kimse yardım etmiyor", "tr"),
        ("@AirAsiaSupport penerbangan saya dibatalkan dan tidak ada yang bisa bantu", "id"),
        ("@Aeroflot мой рейс отменили и никто не помогает", "ru"),
        ("@Emirates تم إلغاء رحلتي ولا أحد يساعدني", "ar"),
        ("@AirChina 我的航班被取消了，没有人帮助我", "zh"),
        ("@KoreanAir 비행기가 취소되었습니다 도와주세요", "ko"),
    ],
)
def test_short_lexicons_see_a_cancelled_flight(triager: Triager, text: str, lang: str) -> None:
    result = triager.triage(text)
    assert result.language == lang
    assert result.needs_reply
    assert "travel '" in result.explanation[-1], result.explanation


@pytest.mark.parametrize(
    "text",
    [
        "@airindia मेरी उड़ान रद्द हो गई है और कोई मदद नहीं कर रहा",  # Hindi: no lexicon
        "@Aegean η πτήση μου ακυρώθηκε και κανείς δεν βοηθάει",  # Greek: no lexicon
    ],
)
def test_a_language_triage_cannot_read_goes_to_a_person(triager: Triager, text: str) -> None:
    result = triager.triage(text)
    assert result.needs_reply
    assert "is not read by triage: a person looks" in result.explanation[2]
    assert triager.triage_many([text]) == [result]


def test_question_marks_work_without_a_lexicon(triager: Triager) -> None:
    result = triager.triage("η πτήση μου ακυρώθηκε, τι να κάνω?")  # no one addressed, but asks
    assert result.needs_reply
    assert result.category == "question"


@pytest.mark.parametrize(
    "text",
    [
        "there is smoke and a fire in the store, call an ambulance",
        "@KestrelSupport el cargador de mi tablet empezó a echar humo",
        "@KestrelSupport de oplader van mijn tablet begon te roken",
        "@KestrelSupport タブレットの充電器から煙が出ました",
    ],
)
def test_a_safety_harm_always_needs_a_reply(triager: Triager, text: str) -> None:
    result = triager.triage(text)
    assert result.needs_reply
    assert result.explanation[2].startswith("needs_reply true: safety '"), result.explanation


def test_a_fire_sale_is_no_fire(triager: Triager) -> None:
    result = triager.triage("🔥🔥 fire sale 🔥")
    assert not result.needs_reply
    assert "safety" not in result.explanation[-1]
