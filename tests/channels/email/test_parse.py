"""The e-mail parser: threading headers, private posts, quoted text, HTML, charsets, attachments,
delivery reports, and malformed mail as one bad record."""

from __future__ import annotations

from datetime import UTC, datetime

from socialdesk.channels.email.parse import read_message, read_messages
from socialdesk.ingest.validate import PostError, post_from_dict

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def mail(headers: str, body: str = "Hello\r\n") -> bytes:
    return (headers.strip().replace("\n", "\r\n") + "\r\n\r\n" + body).encode()


def test_a_new_mail_is_a_private_post_starting_with_its_subject() -> None:
    post = read_message(
        mail(
            """
From: Carol Jones <Carol@Example.org>
To: support@acme.test
Subject: Router down
Date: Mon, 07 Dec 2026 09:12:00 +0100
Message-ID: <abc-1@example.org>
""",
            "My router has been down since 9am.\r\n",
        ),
        NOW,
    )
    assert post["id"] == "abc-1@example.org"
    assert post["visibility"] == "private"
    assert post["author"] == {"id": "carol@example.org", "handle": "carol@example.org", "name": "Carol Jones"}
    assert post["text"] == "Router down\n\nMy router has been down since 9am."
    assert post["in_reply_to"] is None
    assert post["created_at"] == "2026-12-07T09:12:00+01:00"
    assert not isinstance(post_from_dict(post, line=1), PostError)


def test_a_reply_answers_in_reply_to_and_keeps_the_thread_root() -> None:
    post = read_message(
        mail(
            """
From: carol@example.org
Subject: Re: Router down
Message-ID: <abc-3@example.org>
In-Reply-To: <socialdesk.k1@acme.test>
References: <abc-1@example.org> <socialdesk.k1@acme.test>
"""
        ),
        NOW,
    )
    assert post["in_reply_to"] == "socialdesk.k1@acme.test"
    assert post["conversation_id"] == "abc-1@example.org"
    assert post["text"] == "Hello"  # no subject line on a reply


def test_references_alone_thread_a_reply_on_its_last_id() -> None:
    post = read_message(mail("From: a@b.test\nMessage-ID: <x@b>\nReferences: <r1@b> <r2@b>"), NOW)
    assert post["in_reply_to"] == "r2@b"


def test_quoted_text_and_signature_are_cut() -> None:
    body = (
        "Still down, sorry.\r\n\r\n-- \r\nCarol\r\nSent with care\r\n\r\n"
        "On Mon, 7 Dec 2026 at 10:00, Acme Support <support@acme.test> wrote:\r\n> We are on it.\r\n"
    )
    post = read_message(mail("From: carol@example.org\nMessage-ID: <q@x>\nIn-Reply-To: <p@x>", body), NOW)
    assert post["text"] == "Still down, sorry."


def test_html_mail_becomes_safe_text() -> None:
    body = (
        "<html><body><p>Hi <b>team</b>,</p><p>see &lt;script&gt;alert(1)&lt;/script&gt;</p>"
        '<script>steal()</script><img src="https://tracker.test/p.gif"></body></html>'
    )
    raw = mail(
        "From: c@x.test\nMessage-ID: <h@x>\nIn-Reply-To: <p@x>\nContent-Type: text/html; charset=utf-8", body
    )
    post = read_message(raw, NOW)
    assert "Hi team," in post["text"]
    assert "<b>" not in post["text"] and "tracker" not in post["text"]
    assert post["raw"]["html"] is True


def test_encoded_words_and_charsets_are_decoded() -> None:
    raw = mail(
        """
From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <jm@x.de>
Subject: =?iso-8859-1?q?Stra=DFe_gesperrt?=
Message-ID: <c@x>
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable
""",
        "Gr=FC=DFe aus K=F6ln\r\n",
    )
    post = read_message(raw, NOW)
    assert post["author"]["name"] == "Jürgen Müller"
    assert post["text"] == "Straße gesperrt\n\nGrüße aus Köln"


def test_an_unknown_charset_is_read_with_replacement_characters() -> None:
    raw = mail("From: a@x.test\nMessage-ID: <u@x>\nContent-Type: text/plain; charset=x-nonsense", "caf\xe9")
    assert read_message(raw.replace("é".encode(), b"\xe9"), NOW)["text"].startswith("caf")


def test_attachments_are_listed_never_decoded() -> None:
    body = (
        "--B\r\nContent-Type: text/plain\r\n\r\nSee the photo.\r\n"
        "--B\r\nContent-Type: application/x-msdownload\r\nContent-Disposition: attachment; "
        'filename="invoice.exe"\r\nContent-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA\r\n--B--\r\n'
    )
    raw = mail(
        "From: a@x.test\nMessage-ID: <att@x>\nIn-Reply-To: <p@x>\nContent-Type: multipart/mixed; boundary=B",
        body,
    )
    post = read_message(raw, NOW)
    assert post["raw"]["attachments"] == [
        {"name": "invoice.exe", "type": "application/x-msdownload", "size": 12}
    ]
    assert post["text"] == "See the photo.\n\n[attachment: invoice.exe (application/x-msdownload, 12 bytes)]"


def test_a_dsn_is_a_bounce_of_the_sent_mail_not_a_post() -> None:
    body = (
        "--R\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
        "--R\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\n"
        "Final-Recipient: rfc822; nobody@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 no such user\r\n\r\n"
        "--R\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        "Message-ID: <socialdesk.k9@acme.test>\r\nSubject: Re: x\r\n"
        "--R--\r\n"
    )
    raw = mail(
        "From: MAILER-DAEMON@example.org\nMessage-ID: <dsn@x>\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=R",
        body,
    )
    report = read_message(raw, NOW)["delivery_report"]
    assert report["of"] == "socialdesk.k9@acme.test"
    assert report["kind"] == "bounced"
    assert "5.1.1" in report["reason"] and "no such user" in report["reason"]


def test_an_out_of_office_reply_is_an_automatic_reply() -> None:
    raw = mail(
        "From: c@x.test\nMessage-ID: <ooo@x>\nIn-Reply-To: <socialdesk.k2@acme.test>\n"
        "Auto-Submitted: auto-replied\nSubject: Out of office"
    )
    report = read_message(raw, NOW)["delivery_report"]
    assert (report["of"], report["kind"]) == ("socialdesk.k2@acme.test", "auto_replied")


def test_malformed_mail_never_raises() -> None:
    broken = [
        b"",
        b"\x00\xff\xfe garbage without headers",
        b"From: <<<\r\nDate: yesterday-ish\r\nContent-Type: multipart/mixed\r\n\r\nno boundary at all",
        b"Subject: =?utf-8?b?!!!notbase64?=\r\nMessage-ID: <m@x>\r\n\r\nbody",
        b"Date: Mon, 07 Dec 12026 09:12:00 +0100\r\nFrom: a@x.test\r\n\r\nfar future",
    ]
    for post in read_messages(broken, NOW):
        assert post["visibility"] == "private"
        parsed = post_from_dict(post, line=1)
        # A mail with no usable sender is one bad record for ingest; the rest are posts.
        assert isinstance(parsed, PostError) or parsed.created_at.year < 10000


def test_a_mail_without_a_sender_is_one_bad_record() -> None:
    post = read_message(mail("Message-ID: <nobody@x>\nSubject: hi"), NOW)
    error = post_from_dict(post, line=3)
    assert isinstance(error, PostError) and "author" in str(error)
