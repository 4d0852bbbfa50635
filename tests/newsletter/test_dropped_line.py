"""A line dropped in the middle of an SMTP conversation is an outage, not a refusal: the message in flight
spends no attempt, waits for the server and goes once, for the daily update and for a subscriber's mails."""

import smtplib
from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from newsletter import mail_failures, schedule, subscriptions, tokens
from newsletter.models import DailyUpdate, Delivery, SubscriberMail
from tests.newsletter.smtp import Collector, LineDroppingController, free_port
from tests.support import factories as f
from tests.support import factories_newsletter as nf

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback whose conversations can be cut mid-DATA; the schedule's own daily
    send stays out of the way."""
    controller = LineDroppingController(Collector(), hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", controller.port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.NEWSLETTER_SEND_TIME, settings.NEWSLETTER_REVIEW_MINUTES, settings.NEWSLETTER_CATCH_UP_HOURS = (
        "00:00",
        0,
        0,
    )
    yield controller
    controller.stop()


def test_a_delivery_cut_off_mid_data_spends_no_attempt_and_goes_once(smtp_server, settings):
    """The server hangs up during the first message's DATA: that row waits for the server with its attempts
    untouched (on its last one, it is not given up), the others go on a new connection, and the next tick
    sends it, once."""
    settings.NEWSLETTER_MAX_ATTEMPTS = 1
    day = timezone.localdate() - timedelta(days=1)
    f.article(publish_at=timezone.make_aware(datetime.combine(day, time(11))))
    readers = [nf.subscriber() for _ in range(3)]
    smtp_server.drop_next(1)
    call_command("send_daily_update", "--date", day.isoformat(), stdout=StringIO(), stderr=StringIO())

    assert len(smtp_server.dropped) == 1
    waiting = Delivery.objects.get(status=Delivery.Status.PENDING)
    assert waiting.attempts == 0 and waiting.message_id == ""
    assert waiting.error.startswith(f"{mail_failures.UNREACHABLE} (SMTPServerDisconnected")
    assert waiting.next_attempt_at > timezone.now()
    assert sorted(smtp_server.handler.recipients()) == sorted(
        r.email for r in readers if r.pk != waiting.subscriber_id
    )

    schedule.schedule_tick()  # the server answers the probe: the row goes now, not after its wait

    assert sorted(smtp_server.handler.recipients()) == sorted(r.email for r in readers)
    sent = Delivery.objects.get(pk=waiting.pk)
    assert (sent.status, sent.attempts, sent.error) == (Delivery.Status.SENT, 1, "")
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert DailyUpdate.objects.get().status == DailyUpdate.Status.SENT


def test_a_refusal_still_spends_an_attempt(smtp_server, settings):
    """Against the same server, a recipient's 550 is a refusal: on its last attempt the row is given up."""
    settings.NEWSLETTER_MAX_ATTEMPTS = 1

    async def refuse(server, session, envelope):
        return "550 No such mailbox"

    smtp_server.handler.handle_DATA = refuse
    day = timezone.localdate() - timedelta(days=1)
    f.article(publish_at=timezone.make_aware(datetime.combine(day, time(11))))
    nf.subscriber()
    call_command("send_daily_update", "--date", day.isoformat(), stdout=StringIO(), stderr=StringIO())
    failed = Delivery.objects.get()
    assert (failed.status, failed.attempts) == (Delivery.Status.FAILED, 1)
    assert failed.error.startswith("SMTPDataError: (550")


@pytest.mark.parametrize("kind", ["confirm", "welcome"])
def test_a_subscriber_mail_cut_off_mid_data_spends_no_attempt_and_goes_once(smtp_server, client, kind):
    """A confirmation or welcome whose conversation is cut mid-DATA waits for the server with no attempt
    spent (monitoring still counts it as not sent), and the next tick sends it, once."""
    smtp_server.drop_next(1)
    if kind == "confirm":
        assert client.post("/newsletter/", {"email": "cut@example.org"}).status_code == 302
    else:
        reader = nf.subscriber(email="cut@example.org", status="pending")
        subscriptions.subscriber_confirm(token=tokens.make(tokens.CONFIRM, reader))

    assert len(smtp_server.dropped) == 1
    waiting = SubscriberMail.objects.get(kind=kind)
    assert (waiting.status, waiting.attempts) == (SubscriberMail.Status.PENDING, 0)
    assert waiting.error.startswith(f"{mail_failures.UNREACHABLE} (SMTPServerDisconnected")
    assert smtp_server.handler.recipients() == []
    assert schedule.worker_health()["subscriber_mails_not_sent"] == 1  # monitoring still sees it waiting

    schedule.schedule_tick()

    sent = SubscriberMail.objects.get(pk=waiting.pk)
    assert (sent.status, sent.attempts, sent.error) == (SubscriberMail.Status.SENT, 1, "")
    assert smtp_server.handler.recipients() == ["cut@example.org"]


@pytest.mark.parametrize(
    "error, refusal",
    [
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), False),
        (ConnectionResetError(104, "Connection reset by peer"), False),
        (TimeoutError("timed out"), False),
        (BrokenPipeError(32, "Broken pipe"), False),
        (smtplib.SMTPDataError(421, b"Service shutting down, closing channel"), False),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (421, b"closing")}), False),
        (smtplib.SMTPDataError(550, b"No such mailbox"), True),
        (smtplib.SMTPDataError(451, b"Try again later"), True),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"no"), "b@example.org": (421, b"x")}), True),
    ],
)
def test_only_a_recipients_refusal_spends_an_attempt(error, refusal):
    """The policy's line: a failing server or line (a 421 before hanging up among them) is an outage; what
    the server says of the recipient or message is a refusal."""
    assert mail_failures.is_refusal(error) is refusal
