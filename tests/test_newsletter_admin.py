import csv
import io

import pytest

from newsletter.models import Delivery, Subscriber
from tests import factories as f
from tests import factories_newsletter as nf

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
    response = editor_client.post("/admin/newsletter/subscriber/", {
        "action": "export_csv", "_selected_action": [plain.pk, risky.pk],
    })
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["email", "status"]
    by_email = {row[0]: row for row in rows[1:]}
    assert by_email["plain@example.org"][5] == "Lithium"
    assert "'=cmd@example.org" in by_email


def test_daily_update_list_shows_delivery_counts(editor_client):
    """The daily update list counts deliveries by status."""
    update = nf.daily_update(articles=[f.article()], audience=[nf.subscriber(), nf.subscriber(), nf.subscriber()])
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
    editor_client.post("/admin/newsletter/dailyupdate/", {"action": "send_test_to_me", "_selected_action": [update.pk]})
    assert [m.to for m in mailoutbox] == [["editor@example.org"]]
    assert mailoutbox[0].subject.startswith("[Test]") and "Test copy story" in mailoutbox[0].body
    assert Delivery.objects.get().status == Delivery.Status.PENDING


def test_send_test_without_an_address_explains(client, mailoutbox):
    """An editor with no email address is told to add one."""
    client.force_login(f.user(superuser=True, email=""))
    update = nf.daily_update(articles=[f.article()])
    response = client.post("/admin/newsletter/dailyupdate/",
                           {"action": "send_test_to_me", "_selected_action": [update.pk]}, follow=True)
    assert "no email address" in response.content.decode() and mailoutbox == []


def test_requeue_unknown_delivery(editor_client, mailoutbox):
    """After checking the mail log, an editor can send an unknown delivery again."""
    reader = nf.subscriber()
    update = nf.daily_update(articles=[f.article()], audience=[reader], status="sent")
    delivery = update.deliveries.get()
    # An unknown row had its message handed to the server, so it carries a Message-ID.
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.UNKNOWN, message_id="<handed-over@x>")
    editor_client.post("/admin/newsletter/delivery/", {"action": "requeue", "_selected_action": [delivery.pk]})
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and [m.to for m in mailoutbox] == [[reader.email]]
