import os

import pytest

from notifications.tests.smtp import SMTPServer

SMTP_PORT = int(os.environ.get("SMTP_TEST_PORT", "8175"))


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 that the shop's default mailer points at (up; `.down()` to refuse)."""
    server = SMTPServer(SMTP_PORT)
    server.up()
    settings.MAILERS = server.mailers()
    yield server
    server.recorder.release.set()
    server.down()
