"""An SMTP server on loopback, in this process, that can hang up in the middle of a message's DATA: the
dropped line a mail server's crash or a network fault makes mid-conversation."""

import socket
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LineDroppingSMTP(SMTP):
    """aiosmtpd's server, except that while its controller has drops left it answers DATA with 354, reads
    the message's first line and closes the connection without a reply."""

    def __init__(self, controller, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.controller = controller

    async def smtp_DATA(self, arg):
        if not self.controller.take_drop():
            return await super().smtp_DATA(arg)
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        await self._reader.readuntil(b"\r\n")
        self.transport.close()
        return None


class LineDroppingController(Controller):
    """A controller whose next `drop_next(n)` conversations lose their line mid-DATA."""

    def __init__(self, handler, **kwargs):
        super().__init__(handler, **kwargs)
        self.lock = threading.Lock()
        self.drops_left = self.dropped = 0

    def drop_next(self, count=1):
        with self.lock:
            self.drops_left += count

    def take_drop(self):
        with self.lock:
            if not self.drops_left:
                return False
            self.drops_left -= 1
            self.dropped += 1
            return True

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
