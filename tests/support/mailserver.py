"""A real mail server for the e-mail channel tests: Debian's Dovecot for IMAP, aiosmtpd for SMTP.

Dovecot (``dovecot-imapd``, installed by ``make mail``) runs as an unprivileged instance: its own
generated configuration, state, sockets, log and Maildirs in a fresh temporary directory, listening on
a free port of 127.0.0.1, users from a password file (``plain`` security: the tests speak to loopback
only). When the tests run as root, Dovecot's login processes run as ``nobody`` (it refuses root there)
and the mailboxes belong to ``nobody`` too.

SMTP is Python's aiosmtpd on another free loopback port, requiring a login (AUTH PLAIN over the
plain loopback connection) and delivering each accepted mail the way a local delivery agent does:
written into the recipient's Maildir (``tmp/`` then renamed into ``new/``), where Dovecot sees it
(and tells an IDLEing client). Mail for an address that is no mailbox here is kept in ``relayed``
(the outside world, e.g. a customer's provider) and also delivered when the address's local part is
a user. Every accepted mail is kept in ``accepted`` too, so a test can count what was sent.
"""

from __future__ import annotations

import contextlib
import grp
import ipaddress
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
DOMAIN = "mail.test"
SPARE_USERS = 40
SPARE_PREFIXES = ("support", "customer")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1.0):
        return True
    return False


@dataclass
class MailServer:
    root: Path
    imap_port: int
    smtp_port: int
    users: dict[str, str]
    uid: int
    gid: int
    imaps_port: int = 0
    smtps_port: int = 0
    accepted: list[bytes] = field(default_factory=list)
    handed_out: set[str] = field(default_factory=set)
    _dovecot: subprocess.Popen[bytes] | None = None
    _smtp: Any = None
    _smtps: Any = None

    # -- Dovecot -------------------------------------------------------------------------------------

    @property
    def config(self) -> Path:
        return self.root / "dovecot.conf"

    def write_config(self) -> None:
        me = pwd.getpwuid(os.getuid())
        login_user = "nobody" if os.getuid() == 0 else me.pw_name
        self.config.write_text(
            f"""
base_dir = {self.root}/run
state_dir = {self.root}/state
instance_name = socialdesk-test-{self.imap_port}
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{self.root}/cert.pem
ssl_key = <{self.root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = {self.root}/dovecot.log
default_internal_user = {me.pw_name}
default_internal_group = {grp.getgrgid(os.getgid()).gr_name}
default_login_user = {login_user}
first_valid_uid = 1
first_valid_gid = 0
mail_location = maildir:{self.root}/mail/%n
mailbox_idle_check_interval = 1 secs
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%n {self.root}/users
}}
userdb {{
  driver = static
  args = uid={self.uid} gid={self.gid} home={self.root}/mail/%n
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.imaps_port}
  }}
}}
service anvil {{
  chroot =
}}
"""
        )
        self.write_users()

    def write_users(self) -> None:
        lines = "".join(f"{name}:{{PLAIN}}{password}\n" for name, password in self.users.items())
        (self.root / "users").write_text(lines)
        for name in self.users:
            self.maildir(name)

    def start_imap(self) -> None:
        self._dovecot = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while not _port_open(self.imap_port):
            if self._dovecot.poll() is not None:
                err = self._dovecot.stderr.read().decode() if self._dovecot.stderr else ""
                raise RuntimeError(f"dovecot exited: {err}\n{self.log()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"dovecot did not listen on {self.imap_port}\n{self.log()}")
            time.sleep(0.05)  # not a wait: the step of a loop on a condition (the port), with a deadline

    def stop_imap(self) -> None:
        if self._dovecot is not None and self._dovecot.poll() is None:
            self._dovecot.send_signal(signal.SIGTERM)
            try:
                self._dovecot.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._dovecot.kill()
                self._dovecot.wait()
        self._dovecot = None

    @property
    def imap_stopped(self) -> bool:
        return self._dovecot is None

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    # -- mailboxes -----------------------------------------------------------------------------------

    def maildir(self, user: str, folder: str = "") -> Path:
        base = self.root / "mail" / user
        path = base / f".{folder}" if folder else base
        for sub in ("cur", "new", "tmp"):
            (path / sub).mkdir(parents=True, exist_ok=True)
        for each in [self.root / "mail", base, *base.rglob("*")]:
            os.chown(each, self.uid, self.gid)
        return path

    def deliver(self, user: str, raw: bytes) -> None:
        """Put ``raw`` into ``user``'s INBOX as a local delivery agent does (tmp/, then new/)."""
        box = self.maildir(user)
        name = f"{time.time():.6f}.{uuid.uuid4().hex}.socialdesk-test"
        tmp = box / "tmp" / name
        tmp.write_bytes(raw)
        os.chown(tmp, self.uid, self.gid)
        os.rename(tmp, box / "new" / name)

    def add_user(self, prefix: str) -> tuple[str, str]:
        """A mailbox nobody used yet (tests sharing the server never share a mailbox). They are made
        before Dovecot starts (SPARE_USERS of them): Dovecot reads its password file once, and a file
        rewritten within the same second may not be read again."""
        name = next(n for n in self.users if n.startswith(prefix) and n not in self.handed_out)
        self.handed_out.add(name)
        return name, self.users[name]

    def user_of(self, address: str) -> str | None:
        local = address.rpartition("@")[0].lower() or address.lower()
        return local if local in self.users else None

    # -- SMTP ----------------------------------------------------------------------------------------

    def start_smtp(self) -> None:
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult, LoginPassword

        server = self

        class Handler:
            async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
                raw = bytes(envelope.original_content or envelope.content)
                server.accepted.append(raw)
                for rcpt in envelope.rcpt_tos:
                    user = server.user_of(rcpt)
                    if user is not None:
                        server.deliver(user, raw)
                return "250 OK delivered"

        def authenticate(server_: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
            if isinstance(data, LoginPassword):
                name, password = data.login.decode(), data.password.decode()
                user = name.rpartition("@")[0] or name
                if self.users.get(user) == password:
                    return AuthResult(success=True, auth_data=data)
            return AuthResult(success=False, handled=False)

        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(self.root / "cert.pem", self.root / "key.pem")
        self._smtp = Controller(
            Handler(),
            hostname="127.0.0.1",
            port=self.smtp_port,
            authenticator=authenticate,
            auth_require_tls=False,
            auth_required=False,  # the sender logs in anyway; a refused login is still refused
            tls_context=tls,  # STARTTLS offered, not required
        )
        self._smtp.start()
        self._smtps = Controller(  # implicit TLS (SMTPS)
            Handler(),
            hostname="127.0.0.1",
            port=self.smtps_port,
            authenticator=authenticate,
            auth_require_tls=False,
            ssl_context=tls,
        )
        self._smtps.start()

    def stop_smtp(self) -> None:
        for controller in (self._smtp, self._smtps):
            if controller is not None:
                controller.stop()
        self._smtp = self._smtps = None

    def client_tls(self) -> ssl.SSLContext:
        """A client context trusting this server's certificate (made for 127.0.0.1 by the tests)."""
        return ssl.create_default_context(cafile=str(self.root / "cert.pem"))

    def accepted_with(self, needle: bytes) -> list[bytes]:
        return [raw for raw in self.accepted if needle in raw]


@contextlib.contextmanager
def mail_server(users: dict[str, str]) -> Iterator[MailServer]:
    root = Path(tempfile.mkdtemp(prefix="socialdesk-mail-"))
    root.chmod(0o755)
    if os.getuid() == 0:
        nobody = pwd.getpwnam("nobody")
        uid, gid = nobody.pw_uid, nobody.pw_gid
    else:
        uid, gid = os.getuid(), os.getgid()
    (root / "run").mkdir()
    (root / "state").mkdir()
    spare = {f"{prefix}{n}": uuid.uuid4().hex for prefix in SPARE_PREFIXES for n in range(1, SPARE_USERS + 1)}
    server = MailServer(root, free_port(), free_port(), {**spare, **users}, uid, gid)
    server.imaps_port, server.smtps_port = free_port(), free_port()
    _self_signed(root)
    server.write_config()
    try:
        server.start_imap()
        server.start_smtp()
        yield server
    finally:
        server.stop_smtp()
        server.stop_imap()
        shutil.rmtree(root, ignore_errors=True)


def _self_signed(root: Path) -> None:
    """A certificate for 127.0.0.1 (and localhost) signed by itself, with its key, in ``root``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "socialdesk test mail server")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.IPv4Address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (root / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (root / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    (root / "key.pem").chmod(0o600)


def dovecot_available() -> bool:
    return Path(DOVECOT).exists()
