"""A real SMTP server on loopback for bench/load.py (aiosmtpd): records each message's Message-ID and arrival time,
and can be taken down (connections refused) and brought back."""

import threading
import time
from email import message_from_bytes

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self):
        self.lock = threading.Lock()
        self.received: list[tuple[str, float]] = []

    async def handle_DATA(self, server, session, envelope):
        message_id = message_from_bytes(envelope.content).get("Message-ID", "")
        with self.lock:
            self.received.append((message_id, time.time()))
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self, port: int):
        self.port = port
        self.handler = _Handler()
        self.controller = None
        self.went_down = float("inf")
        self.came_up = float("inf")

    def up(self) -> None:
        if self.controller is None:
            self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
            self.controller.start()
            if self.went_down != float("inf"):
                self.came_up = time.time()

    def down(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
            if self.went_down == float("inf"):
                self.went_down = time.time()

    def received(self) -> list[tuple[str, float]]:
        with self.handler.lock:
            return list(self.handler.received)
