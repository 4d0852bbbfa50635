import csv
import io
from datetime import datetime
from datetime import timezone as dt_timezone

import pytest
import time_machine
from django.utils import timezone

from newsletter.models import Delivery, Subscriber, SubscriberMail, WorkerHeartbeat
from tests.support import factories as f
from tests.support import factories_newsletter as nf

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    editor = f.user(group="Editors", email="editor@example.org")
    client.force_login(editor)
    return client


def test_subscriber_list_filters_and_search(editor_client):
    """Editors can list subscribers filtered by status and topic, and search by address."""
    lithium = f.mineral(name="Lithium")
    nf.subscriber(email="lith@example.org", minerals=[lithium])
    nf.subscriber(email="other@example.org", status=Subscriber.Status.PENDING)
    url = "/admin/newsletter/subscriber/"
    by_topic = editor_client.get(url, {"minerals__id__exact": lithium.pk}).content.decode()
    assert "lith@example.org" in by_topic and "other@example.org" not in by_topic
    by_status = editor_client.get(url, {"status__exact": "pending"}).content.decode()
    assert "other@example.org" in by_status and "lith@example.org" not in by_status
    assert "other@example.org" in editor_client.get(url, {"q": "other@"}).content.decode()


def test_csv_export(editor_client):
    """The export action downloads the selected subscribers, with formula-like cells defused."""
    lithium = f.mineral(name="Lithium")
    plain = nf.subscriber(email="plain@example.org", minerals=[lithium])
    risky = nf.subscriber(email="=cmd@example.org")
    response = editor_client.post(
        "/admin/newsletter/subscriber/",
        {
            "action": "export_csv",
            "_selected_action": [plain.pk, risky.pk],
        },
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["email", "status"]
    by_email = {row[0]: row for row in rows[1:]}
    assert by_email["plain@example.org"][5] == "Lithium"
    assert "'=cmd@example.org" in by_email


def test_daily_update_list_shows_delivery_counts(editor_client):
    """The daily update list counts deliveries by status."""
    update = nf.daily_update(
        articles=[f.article()], audience=[nf.subscriber(), nf.subscriber(), nf.subscriber()]
    )
    Delivery.objects.filter(pk=update.deliveries.first().pk).update(status=Delivery.Status.FAILED)
    body = editor_client.get("/admin/newsletter/dailyupdate/").content.decode()
    assert "pending: 2" in body and "failed: 1" in body


def test_preview_renders_the_email(editor_client):
    """The preview shows the HTML email as subscribers will see it, and the text part on request."""
    article = f.article(title="Tungsten supply", dek="Prices climb.")
    update = nf.daily_update(articles=[article])
    html = editor_client.get(f"/admin/newsletter/dailyupdate/{update.pk}/preview/")
    assert html.status_code == 200
    assert "Tungsten supply" in html.content.decode() and "<html" in html.content.decode()
    text = editor_client.get(f"/admin/newsletter/dailyupdate/{update.pk}/preview/", {"part": "text"})
    assert text["Content-Type"].startswith("text/plain") and "Prices climb." in text.content.decode()
    assert "@@" not in html.content.decode() + text.content.decode()


def test_preview_needs_staff(client):
    """Readers cannot see a draft update's preview."""
    update = nf.daily_update(articles=[f.article()])
    response = client.get(f"/admin/newsletter/dailyupdate/{update.pk}/preview/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_send_test_to_me(editor_client, mailoutbox):
    """The action mails the logged-in editor a test copy and nobody else."""
    update = nf.daily_update(articles=[f.article(title="Test copy story")], audience=[nf.subscriber()])
    editor_client.post(
        "/admin/newsletter/dailyupdate/", {"action": "send_test_to_me", "_selected_action": [update.pk]}
    )
    assert [m.to for m in mailoutbox] == [["editor@example.org"]]
    assert mailoutbox[0].subject.startswith("[Test]") and "Test copy story" in mailoutbox[0].body
    assert Delivery.objects.get().status == Delivery.Status.PENDING


def test_send_test_without_an_address_explains(client, mailoutbox):
    """An editor with no email address is told to add one."""
    client.force_login(f.user(superuser=True, email=""))
    update = nf.daily_update(articles=[f.article()])
    response = client.post(
        "/admin/newsletter/dailyupdate/",
        {"action": "send_test_to_me", "_selected_action": [update.pk]},
        follow=True,
    )
    assert "no email address" in response.content.decode() and mailoutbox == []


def test_requeue_unknown_delivery(editor_client, mailoutbox):
    """After checking the mail log, an editor can send an unknown delivery again."""
    reader = nf.subscriber()
    update = nf.daily_update(articles=[f.article()], audience=[reader], status="sent")
    delivery = update.deliveries.get()
    # An unknown row had its message handed to the server, so it carries a Message-ID.
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.UNKNOWN, message_id="<handed-over@x>"
    )
    editor_client.post(
        "/admin/newsletter/delivery/", {"action": "requeue", "_selected_action": [delivery.pk]}
    )
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and [m.to for m in mailoutbox] == [[reader.email]]


def test_a_sending_update_shows_its_progress_and_refreshes(editor_client):
    """While an update is sending, its page counts sent, pending, failed and unknown, and reloads itself."""
    update = nf.daily_update(
        articles=[f.article()],
        audience=[nf.subscriber() for _ in range(4)],
        status="sending",
        enqueued_at=timezone.now(),
    )
    rows = list(update.deliveries.order_by("pk"))
    Delivery.objects.filter(pk=rows[0].pk).update(status=Delivery.Status.SENT, sent_at=timezone.now())
    Delivery.objects.filter(pk=rows[1].pk).update(status=Delivery.Status.FAILED)
    Delivery.objects.filter(pk=rows[2].pk).update(status=Delivery.Status.UNKNOWN)
    body = editor_client.get(f"/admin/newsletter/dailyupdate/{update.pk}/change/").content.decode()
    for part in ("sent: 1", "pending: 1", "failed: 1", "unknown (interrupted): 1", 'http-equiv="refresh"'):
        assert part in body


def test_a_stuck_update_says_so_and_what_happens_next(editor_client):
    """An update with no progress for two leases reads "Stuck", with the last progress time and a missing
    worker named."""
    with time_machine.travel(datetime(2026, 3, 2, 7, 0, tzinfo=dt_timezone.utc), tick=False) as clock:
        update = nf.daily_update(
            articles=[f.article()], audience=[nf.subscriber()], status="sending", enqueued_at=timezone.now()
        )
        clock.shift(3600)
        body = editor_client.get(f"/admin/newsletter/dailyupdate/{update.pk}/change/").content.decode()
    assert "Stuck: no progress since 07:00" in body and "start `manage.py worker`" in body


def test_addresses_whose_confirmation_never_went_are_listed(editor_client):
    """Editors can list the subscribers whose confirmation mail the server refused, retried or given up."""
    refused, fine = (
        nf.subscriber(email="refused@example.org", status="pending"),
        nf.subscriber(email="fine@example.org"),
    )
    SubscriberMail.objects.create(subscriber=refused, kind="confirm", status="pending", attempts=2)
    SubscriberMail.objects.create(subscriber=fine, kind="confirm", status="sent", attempts=1)
    body = editor_client.get("/admin/newsletter/subscriber/", {"confirmation": "unsent"}).content.decode()
    assert "refused@example.org" in body and "fine@example.org" not in body


def test_health_counts_what_needs_a_person_and_names_nobody(client):
    """The health URL gives monitoring counts and the schedule's last run, 503 while something needs a
    person."""
    reader = nf.subscriber(email="private@example.org", status="pending")
    assert client.get("/newsletter/health/").status_code == 503  # no worker has ticked
    WorkerHeartbeat.objects.create(
        worker_id="w", hostname="h", pid=1, started_at=timezone.now(), last_tick_at=timezone.now()
    )
    assert client.get("/newsletter/health/").json()["ok"] is True
    SubscriberMail.objects.create(subscriber=reader, kind="confirm", status="failed", attempts=9)
    response = client.get("/newsletter/health/")
    assert response.status_code == 503 and response.json()["subscriber_mails_not_sent"] == 1
    assert "private@" not in response.content.decode() and response["Cache-Control"] == "no-store"
