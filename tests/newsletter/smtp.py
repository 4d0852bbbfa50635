"""An SMTP server on loopback, in this process, that can hang up in the middle of a message's DATA: the
dropped line a mail server's crash or a network fault makes mid-conversation."""

import socket
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LineDroppingSMTP(SMTP):
    """aiosmtpd's server, except that when its controller has a drop waiting for the message's recipients
    it answers DATA with 354, reads the message's first line and closes the connection without a reply."""

    def __init__(self, controller, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.controller = controller

    async def smtp_DATA(self, arg):
        if self.envelope is None or not self.controller.take_drop(self.envelope.rcpt_tos):
            return await super().smtp_DATA(arg)
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        await self._reader.readuntil(b"\r\n")
        self.transport.close()
        return None


class LineDroppingController(Controller):
    """A controller whose next conversations, `drop_next(n)` of them (those whose recipients `match`
    accepts, if given), lose their line mid-DATA. `dropped` lists the recipients of each cut message."""

    def __init__(self, handler, **kwargs):
        super().__init__(handler, **kwargs)
        self.lock = threading.Lock()
        self.waiting = []  # one predicate per drop to come
        self.dropped = []
        self.dropped_at = []  # time.monotonic() of each drop

    def drop_next(self, count=1, match=None):
        with self.lock:
            self.waiting += [match or (lambda recipients: True)] * count

    def take_drop(self, recipients):
        with self.lock:
            for position, match in enumerate(self.waiting):
                if match(recipients):
                    del self.waiting[position]
                    self.dropped.append(list(recipients))
                    self.dropped_at.append(time.monotonic())
                    return True
            return False

    def factory(self):
        return LineDroppingSMTP(self, self.handler, **self.SMTP_kwargs)


class Collector:
    """The messages the server accepted: (recipients, raw message)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def recipients(self):
        with self.lock:
            return [rcpt for rcpts, _content in self.messages for rcpt in rcpts]
