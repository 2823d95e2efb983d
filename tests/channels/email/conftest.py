"""The real mail server (Dovecot + aiosmtpd, tests/support/mailserver.py) for the e-mail tests: started
once for the session, stopped at its end. Without Dovecot installed (`make mail`) the tests skip with
that message, except in CI, where they must run."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support.mailserver import MailServer, dovecot_available, mail_server


@pytest.fixture(scope="session")
def mail() -> Iterator[MailServer]:
    if not dovecot_available():
        if os.environ.get("CI"):
            pytest.fail("dovecot is not installed: run `make mail` (the e-mail tests must run in CI)")
        pytest.skip("dovecot is not installed: run `make mail` to run the e-mail tests against it")
    with mail_server({}) as server:
        yield server
