"""The daily update through a real SMTP server on loopback."""

import email
import email.policy
import socket
from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone

from newsletter.models import Delivery
from tests.support import factories as f
from tests.support import factories_newsletter as nf

pytestmark = pytest.mark.django_db


class Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((session.peer, envelope.rcpt_tos, envelope.content))
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield collector
    controller.stop()


def test_daily_update_arrives_over_smtp(smtp_server, settings):
    """Every subscriber's message arrives, one SMTP connection per batch, with both parts and the list
    headers."""
    settings.NEWSLETTER_BATCH_SIZE = 2
    # The article's own address in the mail (readership's click links have their own tests).
    settings.NEWSLETTER_LINK_WRAPPER = ""
    day = timezone.localdate() - timedelta(days=1)
    article = f.article(
        title="Rare earth magnets: a new plant",
        dek="Output starts next year.",
        publish_at=timezone.make_aware(datetime.combine(day, time(11))),
    )
    readers = [nf.subscriber() for _ in range(3)]
    call_command("send_daily_update", "--date", day.isoformat(), stdout=StringIO(), stderr=StringIO())

    assert sorted(rcpt for _peer, rcpts, _ in smtp_server.messages for rcpt in rcpts) == sorted(
        r.email for r in readers
    )
    assert len({peer for peer, _rcpts, _content in smtp_server.messages}) == 2  # two batches, two connections
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}

    message = email.message_from_bytes(smtp_server.messages[0][2], policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    link = f"https://news.example.org{article.get_absolute_url()}"
    for part in (text, html):
        assert (
            "Rare earth magnets: a new plant" in part and "Output starts next year." in part and link in part
        )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "<https://news.example.org/newsletter/unsubscribe/" in message["List-Unsubscribe"]
    assert "mailto:unsubscribe@news.example.org" in message["List-Unsubscribe"]
    assert message["List-Id"] == '"Critical Minerals Desk daily update" <daily.news.example.org>'
    delivery = Delivery.objects.get(subscriber__email=message["To"])
    assert (
        message["Message-ID"] == delivery.message_id == f"<daily-{day:%Y%m%d}-{delivery.pk}@news.example.org>"
    )
    assert "Critical Minerals Desk" in message["Subject"]


def test_unreachable_server_holds_the_deliveries(settings):
    """With the SMTP server down, each delivery waits for it with the reason recorded, no attempt spent, and
    the update
    says since when the server has been unreachable."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    day = timezone.localdate() - timedelta(days=1)
    f.article(publish_at=timezone.make_aware(datetime.combine(day, time(11))))
    nf.subscriber()
    call_command("send_daily_update", "--date", day.isoformat(), stdout=StringIO(), stderr=StringIO())
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 0)
    assert "unreachable" in delivery.error and "ConnectionRefused" in delivery.error
    assert delivery.next_attempt_at and delivery.daily_update.mail_unreachable_since


def test_deliveries_waiting_for_the_mail_server_go_on_the_first_tick_it_answers(settings):
    """Deliveries held while the SMTP server was down do not sit out their wait: the first schedule tick that
    finds the server answering sends them, and the update no longer says the server is unreachable."""
    from newsletter import schedule

    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.NEWSLETTER_SEND_TIME, settings.NEWSLETTER_REVIEW_MINUTES, settings.NEWSLETTER_CATCH_UP_HOURS = (
        "00:00",
        0,
        0,
    )
    day = timezone.localdate() - timedelta(days=1)
    f.article(publish_at=timezone.make_aware(datetime.combine(day, time(11))))
    reader = nf.subscriber()
    call_command("send_daily_update", "--date", day.isoformat(), stdout=StringIO(), stderr=StringIO())
    waiting = Delivery.objects.get()
    assert waiting.status == Delivery.Status.PENDING and waiting.next_attempt_at > timezone.now()
    schedule.schedule_tick()  # still down: the probe fails and the wait stands
    assert Delivery.objects.get().status == Delivery.Status.PENDING

    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        schedule.schedule_tick()
    finally:
        controller.stop()
    sent = Delivery.objects.select_related("daily_update").get()
    assert sent.status == Delivery.Status.SENT and [rcpts for _peer, rcpts, _ in collector.messages] == [
        [reader.email]
    ]
    assert sent.daily_update.mail_unreachable_since is None


def test_a_dropped_connection_uses_up_no_attempts(settings, monkeypatch):
    """A connection that breaks mid-send is an outage, not a refusal: a row on its last attempt waits for the
    server
    instead of being given up, and its error says the server was unreachable."""
    import smtplib

    from django.core.mail.backends import locmem

    from newsletter import sending

    settings.NEWSLETTER_MAX_ATTEMPTS = 1
    day = timezone.localdate() - timedelta(days=1)
    f.article(publish_at=timezone.make_aware(datetime.combine(day, time(11))))
    nf.subscriber()
    monkeypatch.setattr(sending, "deliveries_enqueue", lambda ids: 0)  # queued by hand below
    call_command("send_daily_update", "--date", day.isoformat(), stdout=StringIO(), stderr=StringIO())

    def dropped(backend, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", dropped)
    counts = sending.deliveries_send_batch(delivery_ids=list(Delivery.objects.values_list("pk", flat=True)))
    delivery = Delivery.objects.get()
    assert counts["retrying"] == 1 and counts["failed"] == 0
    assert delivery.status == Delivery.Status.PENDING and delivery.next_attempt_at is not None
    assert delivery.error.startswith("Mail server unreachable (SMTPServerDisconnected")
