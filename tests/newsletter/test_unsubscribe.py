import pytest
from django.test import Client

from newsletter import tokens
from newsletter.models import Delivery, Subscriber
from tests.support import factories as f
from tests.support import factories_newsletter as nf

pytestmark = pytest.mark.django_db


def test_one_click_post_without_cookie_or_csrf_unsubscribes():
    """The List-Unsubscribe URL takes a bare POST (RFC 8058) and unsubscribes at once."""
    reader = nf.subscriber()
    bare = Client(enforce_csrf_checks=True)
    url = f"/newsletter/unsubscribe/{tokens.make(tokens.UNSUBSCRIBE, reader)}/one-click/"
    response = bare.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED and reader.unsubscribed_at


def test_one_click_is_idempotent():
    """Repeating the one-click POST succeeds and keeps the first unsubscribe time."""
    reader = nf.subscriber()
    bare = Client(enforce_csrf_checks=True)
    url = f"/newsletter/unsubscribe/{tokens.make(tokens.UNSUBSCRIBE, reader)}/one-click/"
    bare.post(url)
    first = Subscriber.objects.get().unsubscribed_at
    assert bare.post(url).status_code == 200
    assert Subscriber.objects.get().unsubscribed_at == first


def test_one_click_refuses_a_tampered_token():
    """A forged one-click POST changes nothing."""
    reader = nf.subscriber()
    token = tokens.make(tokens.UNSUBSCRIBE, reader)
    response = Client(enforce_csrf_checks=True).post(f"/newsletter/unsubscribe/{token[:-2]}xx/one-click/")
    assert response.status_code == 400
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE


def test_body_link_shows_a_button_and_changes_nothing(client):
    """The link in the email body shows a one-button page; following it unsubscribes nobody."""
    reader = nf.subscriber(email="stay@example.org")
    response = client.get(f"/newsletter/unsubscribe/{tokens.make(tokens.UNSUBSCRIBE, reader)}/")
    body = response.content.decode()
    main = body[body.index('<main id="main"') : body.index("</main>")]
    assert response.status_code == 200 and main.count("<button") == 1
    assert "stay@example.org" in body and "csrfmiddlewaretoken" in body
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE


def test_body_link_button_needs_csrf_and_then_unsubscribes():
    """The body link's form is CSRF-protected; submitted from the page it unsubscribes, twice harmlessly."""
    reader = nf.subscriber()
    browser = Client(enforce_csrf_checks=True)
    url = f"/newsletter/unsubscribe/{tokens.make(tokens.UNSUBSCRIBE, reader)}/"
    assert browser.post(url).status_code == 403
    page = browser.get(url)
    csrf = page.context["csrf_token"]
    for _ in range(2):
        response = browser.post(url, {"csrfmiddlewaretoken": str(csrf)})
        assert response.status_code == 302 and response["Location"] == "/newsletter/unsubscribed/"
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED


def test_one_click_get_leads_to_the_button_page(client):
    """A client that opens the header URL in a browser reaches the page with the button."""
    token = tokens.make(tokens.UNSUBSCRIBE, nf.subscriber())
    response = client.get(f"/newsletter/unsubscribe/{token}/one-click/")
    assert response.status_code == 302 and response["Location"] == f"/newsletter/unsubscribe/{token}/"


def test_unsubscribed_before_sending_gets_nothing(mailoutbox):
    """A reader who leaves after the audience is fixed is skipped when the batch runs."""
    from newsletter import sending, subscriptions

    reader = nf.subscriber()
    update = nf.daily_update(articles=[f.article()], audience=[reader], status="sending")
    subscriptions.subscriber_unsubscribe(token=tokens.make(tokens.UNSUBSCRIBE, reader))
    sending.deliveries_send_batch(delivery_ids=list(update.deliveries.values_list("pk", flat=True)))
    assert mailoutbox == []
    assert Delivery.objects.get().status == Delivery.Status.SKIPPED
