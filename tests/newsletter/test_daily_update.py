import re
from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core.mail.backends import locmem
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from articles.models import Article
from newsletter import daily_updates, sending
from newsletter.models import DailyUpdate, Delivery, Subscriber
from tests.support import factories as f
from tests.support import factories_newsletter as nf

pytestmark = pytest.mark.django_db

DAY = timezone.localdate() - timedelta(days=1)


def at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("send_daily_update", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class CountingBackend(locmem.EmailBackend):
    """Counts SMTP-style connection opens so a test can check one per batch."""

    opened = 0

    def open(self):
        CountingBackend.opened += 1
        return True


def test_command_builds_the_update_and_mails_active_subscribers(mailoutbox):
    """Live articles of the day go to active subscribers only; the update ends up sent."""
    first = f.article(title="Morning story", publish_at=at(DAY, 9))
    second = f.article(title="Evening story", publish_at=at(DAY, 18))
    f.article(title="Draft story", publish_at=at(DAY, 10), status=Article.Status.DRAFT)
    f.article(title="Older story", publish_at=at(DAY - timedelta(days=1), 12))
    readers = [nf.subscriber(), nf.subscriber()]
    nf.subscriber(status=Subscriber.Status.PENDING)
    nf.subscriber(status=Subscriber.Status.UNSUBSCRIBED)
    out, err = run("--date", DAY.isoformat())
    update = DailyUpdate.objects.get()
    assert [a.title for a in update.articles.order_by("daily_update_entries__position")] == [
        second.title,
        first.title,
    ]
    assert sorted(m.to[0] for m in mailoutbox) == sorted(r.email for r in readers)
    assert update.status == DailyUpdate.Status.SENT and update.sent_at
    assert set(update.deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert "2 articles, 2 recipients" in out and err == ""
    assert "Draft story" not in mailoutbox[0].body and "Older story" not in mailoutbox[0].body


def test_update_starts_where_the_previous_one_ended(mailoutbox):
    """Articles already covered by the previous update's window are not sent again."""
    nf.daily_update(day=DAY - timedelta(days=1), status="sent", window_end=at(DAY, 15))
    f.article(title="Covered yesterday", publish_at=at(DAY, 10))
    f.article(title="New since", publish_at=at(DAY, 16))
    nf.subscriber()
    run("--date", DAY.isoformat())
    update = DailyUpdate.objects.get(date=DAY)
    assert update.window_start == at(DAY, 15)
    assert [a.title for a in update.articles.all()] == ["New since"]


def test_scheduled_articles_wait_for_their_time():
    """An article scheduled for later today is not in today's update."""
    today = timezone.localdate()
    f.article(title="Later", publish_at=timezone.now() + timedelta(minutes=5))
    out, _ = run("--date", today.isoformat())
    assert "No new articles" in out and not DailyUpdate.objects.exists()


def test_empty_day_is_skipped_and_said(mailoutbox):
    """With nothing new, no update is made and the command says so."""
    nf.subscriber()
    out, _ = run("--date", DAY.isoformat())
    assert "No new articles" in out and str(DAY) in out
    assert not DailyUpdate.objects.exists() and mailoutbox == []


def test_dry_run_changes_nothing(mailoutbox):
    """--dry-run lists what would go and writes nothing."""
    f.article(title="Would go", publish_at=at(DAY, 9))
    nf.subscriber()
    out, _ = run("--date", DAY.isoformat(), "--dry-run")
    assert "Would go" in out and "1 article, 1 active subscriber" in out
    assert not DailyUpdate.objects.exists() and not Delivery.objects.exists() and mailoutbox == []


def test_running_twice_mails_nobody_twice(mailoutbox):
    """A second run for the same day sends nothing new."""
    f.article(publish_at=at(DAY, 9))
    nf.subscriber(), nf.subscriber()
    run("--date", DAY.isoformat())
    out, _ = run("--date", DAY.isoformat())
    assert len(mailoutbox) == 2
    assert "Found existing" in out and "Queued 0 deliveries in 0 batches" in out
    assert DailyUpdate.objects.count() == 1 and Delivery.objects.count() == 2


def test_audience_is_fixed_when_the_send_starts(mailoutbox):
    """Someone confirming while the draft waits for review gets it; after the send starts, the next update."""
    f.article(publish_at=at(DAY, 9))
    early = nf.subscriber()
    update, created = daily_updates.daily_update_build(date=DAY)
    assert created and not update.deliveries.exists()
    during_review = nf.subscriber()
    daily_updates.daily_update_enqueue(daily_update=update)
    nf.subscriber()
    daily_updates.daily_update_enqueue(daily_update=update)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([early.email, during_review.email])


def test_a_batch_only_sends_rows_it_claims(mailoutbox):
    """The same batch delivered twice (a re-queued job) sends each message once."""
    update = nf.daily_update(articles=[f.article()], audience=[nf.subscriber()], status="sending")
    ids = list(update.deliveries.values_list("pk", flat=True))
    assert sending.deliveries_send_batch(delivery_ids=ids)["sent"] == 1
    assert sending.deliveries_send_batch(delivery_ids=ids)["sent"] == 0
    assert len(mailoutbox) == 1


def test_sending_in_batches_over_one_connection_each(settings):
    """Deliveries are split into batches and each batch opens one mail connection."""
    settings.NEWSLETTER_BATCH_SIZE = 2
    settings.EMAIL_BACKEND = "tests.newsletter.test_daily_update.CountingBackend"
    CountingBackend.opened = 0
    f.article(publish_at=at(DAY, 9))
    for _ in range(5):
        nf.subscriber()
    out, _ = run("--date", DAY.isoformat())
    assert "Queued 5 deliveries in 3 batches" in out
    assert CountingBackend.opened == 3
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 5


def test_message_parts_and_headers(mailoutbox, settings):
    """Each message has text and HTML parts, the list headers and a stable Message-ID."""
    # The article's own address in the mail (readership's click links have their own tests).
    settings.NEWSLETTER_LINK_WRAPPER = ""
    article = f.article(title="Gallium export rules", dek="Beijing tightens licences.", publish_at=at(DAY, 9))
    reader = nf.subscriber()
    run("--date", DAY.isoformat())
    message = mailoutbox[0]
    delivery = Delivery.objects.get()
    assert "Critical Minerals Desk" in message.subject and f"{DAY.day} {DAY:%B %Y}" in message.subject
    html = message.alternatives[0].content
    assert message.alternatives[0].mimetype == "text/html"
    link = f"https://news.example.org{article.get_absolute_url()}"
    for part in (message.body, html):
        assert "Gallium export rules" in part and "Beijing tightens licences." in part and link in part
    headers = message.extra_headers
    assert (
        headers["Message-ID"] == f"<daily-{DAY:%Y%m%d}-{delivery.pk}@news.example.org>" == delivery.message_id
    )
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Id"] == '"Critical Minerals Desk daily update" <daily.news.example.org>'
    https, mailto = re.fullmatch(r"<(https://[^>]+)>, <(mailto:[^>]+)>", headers["List-Unsubscribe"]).groups()
    assert https.startswith("https://news.example.org/newsletter/unsubscribe/") and https.endswith(
        "/one-click/"
    )
    assert mailto.startswith("mailto:unsubscribe@news.example.org?subject=unsubscribe%20")
    # The header's URL works as RFC 8058 asks: a bare POST, no cookie, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        https.removeprefix("https://news.example.org"), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED


def test_article_unpublished_after_build_is_left_out(mailoutbox):
    """An article taken down between build and send is not mailed."""
    f.article(title="Stays", publish_at=at(DAY, 9))
    gone = f.article(title="Taken down", publish_at=at(DAY, 10))
    nf.subscriber()
    update, _ = daily_updates.daily_update_build(date=DAY)
    Article.objects.filter(pk=gone.pk).update(status=Article.Status.DRAFT)
    daily_updates.daily_update_enqueue(daily_update=update)
    assert "Stays" in mailoutbox[0].body and "Taken down" not in mailoutbox[0].body


@pytest.mark.parametrize(
    "value,message",
    [
        ("2026-1-1", "YYYY-MM-DD"),
        ("20260101", "YYYY-MM-DD"),
        ("2026-02-30", "YYYY-MM-DD"),
        ("2999-01-01", "future"),
    ],
)
def test_bad_dates_stop_the_command_with_one_line(value, message):
    """A malformed or future --date ends the command with a readable error."""
    with pytest.raises(CommandError, match=message):
        run("--date", value)


def test_an_update_for_a_past_day_stops_where_a_later_one_began(mailoutbox):
    """Filling in a missed day never repeats articles that a later update already sent."""
    f.article(title="Missed day", publish_at=at(DAY - timedelta(days=1), 9))
    f.article(title="Sent already", publish_at=at(DAY - timedelta(days=1), 20))
    nf.daily_update(
        day=DAY, status="sent", window_start=at(DAY - timedelta(days=1), 12), window_end=at(DAY, 23)
    )
    nf.subscriber()
    run("--date", (DAY - timedelta(days=1)).isoformat())
    update = DailyUpdate.objects.get(date=DAY - timedelta(days=1))
    assert update.window_end == at(DAY - timedelta(days=1), 12)
    assert [a.title for a in update.articles.all()] == ["Missed day"]


def test_dry_run_on_a_day_already_built_says_what_a_run_would_queue(mailoutbox):
    """--dry-run for a day whose update exists reports its pending deliveries and changes nothing."""
    update = nf.daily_update(day=DAY, articles=[f.article()], audience=[nf.subscriber(), nf.subscriber()])
    out, _ = run("--date", DAY.isoformat(), "--dry-run")
    assert "exists already (draft); 2 pending deliveries would be queued" in out
    assert set(update.deliveries.values_list("status", flat=True)) == {Delivery.Status.PENDING}
    assert mailoutbox == []
