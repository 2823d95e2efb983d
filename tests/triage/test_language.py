"""Language detection on a small hand-written table (see the model card for its limits)."""

from __future__ import annotations

import pytest

from socialdesk.triage import detect_language
from socialdesk.triage.features import extract


def lang(text: str, hint: str | None = None) -> str:
    return detect_language(text.lower(), extract(text).tokens, hint)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@united my flight was cancelled and nobody is helping me", "en"),
        ("@Iberia mi vuelo fue cancelado y nadie me ayuda, ¿qué hago?", "es"),
        ("@AirFrance mon vol est annulé et personne ne répond, c'est nul", "fr"),
        ("@Lufthansa Ich warte seit drei Stunden und niemand hilft mir", "de"),
        ("@TAP meu voo foi cancelado e não tenho informação nenhuma", "pt"),
        ("@Alitalia il mio volo è stato cancellato e nessuno mi aiuta", "it"),
        ("@KLM mijn vlucht is geannuleerd en niemand helpt mij", "nl"),
        ("@THY uçuşum iptal edildi ve kimse yardım etmiyor, neden?", "tr"),
        ("@ANA 飛行機が遅れています。どうすればいいですか", "ja"),
        ("@KoreanAir 비행기가 취소되었습니다 도와주세요", "ko"),
        ("@AirChina 我的航班被取消了，没有人帮助我", "zh"),
        ("@Emirates تم إلغاء رحلتي ولا أحد يساعدني", "ar"),
        ("@Aeroflot мой рейс отменили и никто не помогает", "ru"),
        ("@airindia मेरी उड़ान रद्द हो गई है और कोई मदद नहीं कर रहा", "hi"),
        ("@AirAsiaSupport penerbangan saya dibatalkan dan tidak ada yang bisa bantu", "id"),
    ],
)
def test_detects(text: str, expected: str) -> None:
    assert lang(text) == expected


def test_hint_wins_when_evidence_is_thin() -> None:
    assert lang("@brand 👍👍", "es") == "es"
    assert lang("@brand ok", None) == "en"


def test_emoji_do_not_change_script() -> None:
    assert lang("@Delta thank you so much for the great crew 😍🙏") == "en"
