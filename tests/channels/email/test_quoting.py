"""Quoted earlier messages and signatures cut from an e-mail's text, in several languages."""

from __future__ import annotations

import pytest

from socialdesk.channels.email.quoting import new_text

ANSWER = "Thanks, it works again."


@pytest.mark.parametrize(
    "tail",
    [
        "On Mon, Dec 7, 2026 at 10:00 AM Acme <s@acme.test> wrote:\n> old",
        "On Mon, Dec 7, 2026 at 10:00 AM Acme Support <support@acme.test>\nwrote:\n> old",  # wrapped
        "Am Mo., 7. Dez. 2026 um 10:00 Uhr schrieb Acme <s@acme.test>:\n> alt",
        "Le lun. 7 déc. 2026 à 10:00, Acme <s@acme.test> a écrit :\n> ancien",
        "El lun, 7 dic 2026 a las 10:00, Acme (<s@acme.test>) escribió:\n> viejo",
        "-----Original Message-----\nFrom: Acme\nSent: Monday\n\nold",
        "From: Acme Support <s@acme.test>\nSent: Monday, December 7, 2026 10:00\nTo: Carol\n\nold",
        "Von: Acme <s@acme.test>\nGesendet: Montag, 7. Dezember 2026 10:00\nAn: Carol\n\nalt",
        "De : Acme <s@acme.test>\nEnvoyé : lundi 7 décembre 2026 10:00\n\nancien",
        "De: Acme <s@acme.test>\nEnviado: lunes, 7 de diciembre de 2026 10:00\n\nviejo",
        "-- \nCarol Jones\nHead of Things",
        "Sent from my iPhone",
    ],
)
def test_quotes_and_signatures_are_cut(tail: str) -> None:
    assert new_text(f"{ANSWER}\n\n{tail}\n") == ANSWER


def test_answers_between_quoted_lines_are_kept() -> None:
    text = "> Is it the router?\nYes, the blue one.\n> Since when?\nSince 9am."
    assert new_text(text) == "Yes, the blue one.\nSince 9am."


def test_a_mail_that_is_only_a_quote_keeps_its_text() -> None:
    assert new_text("> everything quoted") == "> everything quoted"


def test_a_line_that_merely_starts_with_from_is_kept() -> None:
    text = "From: my side, nothing changed.\nIt is still down."
    assert new_text(text) == text
