"""The e-mail channel end to end against a real mail server: Dovecot (IMAP, IDLE) and aiosmtpd (SMTP,
delivering into Dovecot's Maildirs), both on loopback and started by the tests.

A customer's mail arrives over IMAP and becomes a private conversation; the agent's reply leaves by
SMTP with threading headers and signatures; the customer's answer (In-Reply-To) joins the same
conversation with its quote cut; an HTML mail is read as text; a bounce is recorded on the sent
reply; an interrupted send is never sent twice; an IMAP restart is survived; a handoff to e-mail
really sends.
"""

from __future__ import annotations

import time
from dataclasses import replace
from email import message_from_bytes, policy
from typing import Any

import pytest

from socialdesk.actions.care_threads import check_handoff
from socialdesk.actions.dispatch import do_dispatch_outbox
from socialdesk.actions.ingest import do_ingest_posts
from socialdesk.actions.replies import check_reply
from socialdesk.channels.connect import Connector
from socialdesk.channels.email import connection
from socialdesk.channels.email.network import imap_opener, settings_of, smtp_opener
from socialdesk.channels.email.send import EmailSender, outgoing_id
from socialdesk.channels.probe import probe
from socialdesk.channels.url_policy import UrlPolicy
from socialdesk.domain.people import Role, User
from socialdesk.domain.post import Author, Direction, Message, Post, Visibility
from socialdesk.ports import OutboxItem, SendResult, SendUnconfirmed
from socialdesk.ports_channels import ChannelAccount
from socialdesk.runtime import Runtime
from socialdesk.workers.channel_runner import ChannelRunner
from tests.channels.integration.conftest import KEY, add_account, sqlite_runtime
from tests.support.mailserver import MailServer
from tests.support.waiting import wait_until

__all__ = ["sqlite_runtime"]
pytestmark = pytest.mark.timeout(300)  # a hang guard, beyond any one wait (tests/support/waiting.py)
CUSTOMER = "carol@outside.test"


def customer_mail(message_id: str, body: str, *, subject: str = "Router down", headers: str = "") -> bytes:
    head = (
        f"From: Carol Jones <{CUSTOMER}>\r\nTo: support@mail.test\r\nSubject: {subject}\r\n"
        f"Date: Mon, 07 Dec 2026 09:12:00 +0000\r\nMessage-ID: <{message_id}>\r\n{headers}"
    )
    if "Content-Type" not in headers:
        head += "Content-Type: text/plain; charset=utf-8\r\n"
    return f"{head}\r\n{body}".encode()


@pytest.fixture
def rt(sqlite_runtime: Runtime) -> Runtime:
    # Waits between reconnects are cut short so a restart test does not sit out a 5 s backoff.
    sqlite_runtime.connector = Connector(
        KEY, clock=sqlite_runtime.clock, url_policy=UrlPolicy(allow_private=True), sleep=_short_sleep
    )
    return sqlite_runtime


def _short_sleep(seconds: float) -> None:
    time.sleep(min(seconds, 0.1))  # not a wait: the runner's backoff, shortened for the test


def email_account(rt: Runtime, mail: MailServer, **extra: Any) -> tuple[ChannelAccount, str]:
    user, password = mail.add_user("support")
    settings = {
        "imap_host": "127.0.0.1",
        "imap_port": str(mail.imap_port),
        "imap_security": "plain",
        "smtp_port": str(mail.smtp_port),
        "smtp_security": "plain",
        "username": user,
        "from_name": "Acme Support",
        "signature": "Acme Support - help.acme.test",
        **extra,
    }
    return add_account(rt, "email", f"{user}@mail.test", settings, {"password": password}), user


def agent(rt: Runtime, account: ChannelAccount) -> User:
    with rt.uow() as uow:
        return uow.users.add(account.workspace_id, "ada@acme.test", "Ada Byron", Role.AGENT, "x", "^AB")


def messages(rt: Runtime, account: ChannelAccount) -> list[Message]:
    with rt.uow() as uow:
        convs = {m.conversation_id for m in uow.messages.recent(account.workspace_id, 100)}
        return [
            m
            for c in sorted(x for x in convs if x)
            for m in uow.messages.list_for_conversation(account.workspace_id, c)
        ]


def dispatch(rt: Runtime) -> None:
    rt.use_channel_senders()
    do_dispatch_outbox(rt.uow, rt.senders, rt.clock, default=rt.default_sender)


def sent_mail(mail: MailServer, message_id: str) -> list[bytes]:
    return mail.accepted_with(f"Message-ID: <{message_id}>".encode())


def test_a_customer_mail_a_reply_and_the_answer_make_one_private_conversation(
    rt: Runtime, mail: MailServer
) -> None:
    account, user = email_account(rt, mail)
    mail.deliver(user, customer_mail("c1@outside.test", "My router is down since 9am.\r\n"))
    running = ChannelRunner(rt, interval=0.05)
    running.start()
    try:
        wait_until(lambda: len(messages(rt, account)) == 1, "the customer's mail to be ingested")
        [first] = messages(rt, account)
        assert first.visibility is Visibility.PRIVATE
        assert first.text == "Router down\n\nMy router is down since 9am."
        assert first.author_handle == CUSTOMER

        ada = agent(rt, account)
        with rt.uow() as uow:
            reply = check_reply(uow, ada, first.conversation_id or 0, "We are on it.", None, rt.clock.now())
        assert reply.message.visibility is Visibility.PRIVATE  # an e-mail conversation is answered privately
        dispatch(rt)
        with rt.uow() as uow:
            sent = uow.messages.get(account.workspace_id, reply.message.id)
        assert sent is not None and sent.delivery == "sent" and sent.external_id
        [raw] = sent_mail(mail, sent.external_id)
        out = message_from_bytes(raw, policy=policy.default)
        assert out["To"] == CUSTOMER
        assert out["Subject"] == "Re: Router down"
        assert out["In-Reply-To"] == "<c1@outside.test>"
        assert out["References"] == "<c1@outside.test>"
        body = out.get_body(("plain",)).get_content().replace("\r\n", "\n")  # type: ignore[union-attr]
        assert body == "We are on it.\n\nAda Byron\n\n-- \nAcme Support - help.acme.test\n"

        # The customer answers the sent mail, quoting it; IDLE brings it in (no poll is due for an hour).
        answer = (
            "Thanks, it works again!\r\n\r\nOn Mon, 7 Dec 2026, Acme Support wrote:\r\n> We are on it.\r\n"
        )
        mail.deliver(
            user,
            customer_mail(
                "c2@outside.test",
                answer,
                subject="Re: Router down",
                headers=f"In-Reply-To: <{sent.external_id}>\r\n"
                f"References: <c1@outside.test> <{sent.external_id}>\r\n",
            ),
        )
        wait_until(lambda: len(messages(rt, account)) == 3, "the customer's answer to be ingested")
        answered = messages(rt, account)[-1]
        assert answered.conversation_id == first.conversation_id
        assert answered.text == "Thanks, it works again!"
        assert answered.direction is Direction.INBOUND

        # An HTML mail: plain text, nothing of the markup.
        html = (
            "<html><head><style>p {}</style></head><body><p>New <b>issue</b>:</p>"
            "<p>no TV &amp; no phone</p><script>x()</script></body></html>"
        )
        mail.deliver(
            user,
            customer_mail(
                "c3@outside.test", html, subject="TV", headers="Content-Type: text/html; charset=utf-8\r\n"
            ),
        )
        wait_until(lambda: len(messages(rt, account)) == 4, "the HTML mail to be ingested")
        assert [m.text for m in messages(rt, account) if m.external_id == "c3@outside.test"] == [
            "TV\n\nNew issue:\n\nno TV & no phone"
        ]

        # A bounce about the sent reply: recorded on it, not a customer message.
        dsn = (
            "From: MAILER-DAEMON@outside.test\r\nTo: support@mail.test\r\nSubject: Undelivered Mail\r\n"
            "Message-ID: <dsn1@outside.test>\r\n"
            "Content-Type: multipart/report; report-type=delivery-status; boundary=R\r\n\r\n"
            "--R\r\nContent-Type: text/plain\r\n\r\nSorry.\r\n"
            "--R\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.outside.test\r\n\r\n"
            f"Final-Recipient: rfc822; {CUSTOMER}\r\nAction: failed\r\nStatus: 5.2.2\r\n"
            "Diagnostic-Code: smtp; 552 mailbox full\r\n\r\n"
            f"--R\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <{sent.external_id}>\r\n--R--\r\n"
        ).encode()
        mail.deliver(user, dsn)
        wait_until(
            lambda: [m.delivery for m in messages(rt, account) if m.id == sent.id] == ["bounced"],
            "the bounce to be recorded on the sent reply",
        )
        assert len(messages(rt, account)) == 4
        with rt.uow() as uow:
            audit = [
                e
                for e in uow.audit.between(account.workspace_id, None, None)
                if e.action == "delivery_report"
            ]
        assert audit and "mailbox full" in str(audit[0].data)
    finally:
        running.stop()


def test_an_interrupted_send_is_found_in_the_sent_folder_and_never_sent_twice(
    rt: Runtime, mail: MailServer
) -> None:
    account, user = email_account(rt, mail)
    mail.deliver(user, customer_mail("n1@outside.test", "Hello?\r\n"))
    running = ChannelRunner(rt, interval=0.05)
    running.start()
    try:
        wait_until(lambda: len(messages(rt, account)) == 1, "the customer's mail to be ingested")
    finally:
        running.stop()
    [first] = messages(rt, account)
    ada = agent(rt, account)
    with rt.uow() as uow:
        reply = check_reply(uow, ada, first.conversation_id or 0, "Hi Carol", None, rt.clock.now())
    rt.use_channel_senders()
    real = rt.senders["email"]

    class KilledAfterSmtp:
        """The relay dies after the SMTP server took the mail, before the outbox recorded it."""

        def send(self, item: OutboxItem) -> SendResult:
            real.send(item)
            raise ConnectionResetError("relay killed")

        def find_sent(self, item: OutboxItem) -> SendResult | None:
            return real.find_sent(item)

    do_dispatch_outbox(rt.uow, {"email": KilledAfterSmtp()}, rt.clock)
    with rt.uow() as uow:
        [item] = [i for i in uow.outbox.pending(10) if i.message_id == reply.message.id] or [None]
    assert item is not None and item.attempted_at is not None  # the first attempt is on record
    do_dispatch_outbox(rt.uow, rt.senders, rt.clock)  # the relay runs again
    expected = outgoing_id(item, "mail.test")
    assert len(sent_mail(mail, expected)) == 1  # found in the sent folder: not sent again
    with rt.uow() as uow:
        stored = uow.messages.get(account.workspace_id, reply.message.id)
    assert stored is not None and (stored.delivery, stored.external_id) == ("sent", expected)


def test_a_send_cut_off_inside_smtp_is_unconfirmed_and_a_refused_one_is_resent(
    rt: Runtime, mail: MailServer
) -> None:
    account, _ = email_account(rt, mail)
    connector = rt.channel_connector()
    s = settings_of(account)
    item = OutboxItem(
        1, account.workspace_id, 1, "email", "key1", {"text": "Hi", "recipient": CUSTOMER}, "pending", 1,
        rt.clock.now(),
    )  # fmt: skip

    def cut_off() -> Any:
        raise TimeoutError("the SMTP server stopped answering after DATA")

    with pytest.raises(TimeoutError):
        EmailSender(s, imap_opener(connector, account), cut_off).send(item)
    with pytest.raises(SendUnconfirmed, match="still a draft"):
        EmailSender(s, imap_opener(connector, account), cut_off).find_sent(item)

    other = replace(item, idempotency_key="key2")

    def refused() -> Any:
        raise ConnectionRefusedError("no SMTP server")

    with pytest.raises(ConnectionRefusedError):
        EmailSender(s, imap_opener(connector, account), refused).send(other)
    assert EmailSender(s, imap_opener(connector, account), refused).find_sent(other) is None


def test_the_runner_survives_an_imap_restart(rt: Runtime, mail: MailServer) -> None:
    account, user = email_account(rt, mail)
    running = ChannelRunner(rt, interval=0.05)
    running.start()

    def health() -> str:
        with rt.uow() as uow:
            found = uow.channels.get(account.workspace_id, account.id)
        return found.health.state if found else ""

    try:
        wait_until(lambda: health() == "connected", "the account to connect")
        mail.stop_imap()
        wait_until(lambda: health() == "degraded", "the lost IMAP server to show as degraded")
        mail.deliver(user, customer_mail("r1@outside.test", "Are you there?\r\n"))
        mail.start_imap()
        wait_until(lambda: len(messages(rt, account)) == 1, "the mail sent during the outage")
        wait_until(lambda: health() == "connected", "the account to reconnect")
    finally:
        running.stop()
        if mail.imap_stopped:
            mail.start_imap()


def test_a_handoff_to_email_sends_and_the_answer_joins_the_conversation(
    rt: Runtime, mail: MailServer
) -> None:
    account, user = email_account(rt, mail)
    post = Post("9001", "simulated", "my bill is wrong", rt.clock.now(), Author("u1", "carolj"))
    with rt.uow() as uow:
        do_ingest_posts(uow, account.workspace_id, [post], rt.clock.now())
    [public] = messages(rt, account)
    ada = agent(rt, account)
    with rt.uow() as uow:
        done = check_handoff(
            uow, ada, public.conversation_id or 0, "email", rt.clock.now(),
            message="Could you send us the invoice number?", address=CUSTOMER,
        )  # fmt: skip
    assert done.email is not None
    dispatch(rt)
    with rt.uow() as uow:
        emailed = uow.messages.get(account.workspace_id, done.email.id)
    assert emailed is not None and emailed.delivery == "sent" and emailed.external_id
    [raw] = sent_mail(mail, emailed.external_id)
    out = message_from_bytes(raw, policy=policy.default)
    assert out["To"] == CUSTOMER and out["Subject"] == "About your message: my bill is wrong"
    body = out.get_body(("plain",)).get_content().replace("\r\n", "\n")  # type: ignore[union-attr]
    assert body.startswith("Could you send us the invoice number?\n\nAda Byron\n")

    running = ChannelRunner(rt, interval=0.05)
    running.start()
    try:
        mail.deliver(
            user,
            customer_mail(
                "h2@outside.test",
                "It is INV-42.\r\n",
                subject="Re: About your message",
                headers=f"In-Reply-To: <{emailed.external_id}>\r\n",
            ),
        )
        wait_until(
            lambda: any(m.external_id == "h2@outside.test" for m in messages(rt, account)), "the answer"
        )
    finally:
        running.stop()
    [answer] = [m for m in messages(rt, account) if m.external_id == "h2@outside.test"]
    assert answer.conversation_id == public.conversation_id  # one case, one history


def test_the_probe_says_what_it_found_and_what_is_wrong(rt: Runtime, mail: MailServer) -> None:
    account, _ = email_account(rt, mail)
    result = probe(rt.channel_connector(), account)
    assert result.ok, result.message
    assert "IDLE" in result.message and "SMTP 127.0.0.1" in result.message
    sealer = rt.channel_connector().sealer()
    assert sealer is not None
    wrong = replace(account, sealed_credentials=sealer.seal({"password": "nope"}))
    refused = probe(rt.channel_connector(), wrong)
    assert not refused.ok and "IMAP login as" in refused.message and "refused" in refused.message
    assert "nope" not in refused.message


@pytest.mark.parametrize(
    ("imap_security", "smtp_security", "ports"),
    [("tls", "tls", ("imaps_port", "smtps_port")), ("starttls", "starttls", ("imap_port", "smtp_port"))],
)
def test_tls_and_starttls_verify_the_server_and_work_end_to_end(
    rt: Runtime, mail: MailServer, monkeypatch: pytest.MonkeyPatch,
    imap_security: str, smtp_security: str, ports: tuple[str, str],
) -> None:  # fmt: skip
    imap_port, smtp_port = (getattr(mail, p) for p in ports)
    account, _ = email_account(
        rt, mail, imap_security=imap_security, smtp_security=smtp_security,
        imap_port=str(imap_port), smtp_port=str(smtp_port),
    )  # fmt: skip
    # The system's trust store does not know the test server's certificate: refused, saying so.
    untrusted = probe(rt.channel_connector(), account)
    assert not untrusted.ok
    monkeypatch.setattr(connection, "tls_context", mail.client_tls)
    trusted = probe(rt.channel_connector(), account)
    assert trusted.ok, trusted.message
    item = OutboxItem(
        7, account.workspace_id, 7, "email", f"tls-{imap_security}",
        {"text": "Over TLS", "recipient": CUSTOMER}, "pending", 1, rt.clock.now(),
    )  # fmt: skip
    connector = rt.channel_connector()
    sender = EmailSender(
        settings_of(account), imap_opener(connector, account), smtp_opener(connector, account)
    )
    result = sender.send(item)
    assert len(sent_mail(mail, result.external_id)) == 1
    assert sender.find_sent(item) == result
