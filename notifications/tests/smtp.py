"""A real SMTP server on loopback for the outbox tests (aiosmtpd), which can be taken down and brought back."""

import threading
from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller


class Recorder:
    """The aiosmtpd handler: keeps every message accepted; `hold` makes DATA wait (a send in progress)."""

    def __init__(self):
        self.messages: list[Message] = []
        self.lock = threading.Lock()
        self.hold = threading.Event()  # set: DATA waits on `release`
        self.in_data = threading.Event()  # set when a DATA command arrived while held
        self.release = threading.Event()
        self.refuse_held = True  # a held message is answered with an error once released

    async def handle_DATA(self, server, session, envelope):
        if self.hold.is_set():
            self.in_data.set()
            # aiosmtpd runs this in its event loop thread: wait without blocking other connections for long.
            import asyncio

            while not self.release.is_set():
                await asyncio.sleep(0.05)
            if self.refuse_held:
                return "451 Requested action aborted: local error in processing"
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [message["Message-ID"] for message in self.messages]


class SMTPServer:
    def __init__(self, port: int):
        self.port = port
        self.recorder = Recorder()
        self.controller: Controller | None = None

    def up(self) -> None:
        if self.controller is None:
            self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
            self.controller.start()

    def down(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def mailers(self) -> dict:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
            }
        }
