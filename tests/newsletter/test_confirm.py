import time

import pytest
from django.core import mail

from newsletter import tokens
from newsletter.models import Subscriber
from tests.support import factories_newsletter as nf

pytestmark = pytest.mark.django_db


def confirm_url(reader):
    return f"/newsletter/confirm/{tokens.make(tokens.CONFIRM, reader)}/"


def test_following_the_link_confirms_nothing(client):
    """A GET of the confirmation link (what mail scanners do) shows a button and changes nothing."""
    reader = nf.subscriber(status=Subscriber.Status.PENDING)
    response = client.get(confirm_url(reader))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<form method="post">' in body and "<button" in body and "csrfmiddlewaretoken" in body
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.PENDING and not mail.outbox


def test_pressing_the_button_confirms_and_welcomes(client):
    """The POST activates the subscriber, shows the welcome page and sends a welcome email."""
    reader = nf.subscriber(status=Subscriber.Status.PENDING)
    response = client.post(confirm_url(reader), follow=True)
    assert response.redirect_chain == [("/newsletter/welcome/", 302)]
    assert "You are subscribed" in response.content.decode()
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE and reader.confirmed_at
    assert len(mail.outbox) == 1 and "Welcome" in mail.outbox[0].subject
    assert "/newsletter/topics/" in mail.outbox[0].body and "/newsletter/unsubscribe/" in mail.outbox[0].body


def test_confirming_twice_is_harmless(client):
    """A second press keeps the subscriber active and sends no second welcome."""
    reader = nf.subscriber(status=Subscriber.Status.PENDING)
    url = confirm_url(reader)
    client.post(url)
    confirmed_at = Subscriber.objects.get().confirmed_at
    assert client.post(url).status_code == 302
    assert len(mail.outbox) == 1
    assert Subscriber.objects.get().confirmed_at == confirmed_at


def test_expired_link_is_refused(client, monkeypatch, settings):
    """An expired confirmation link shows the invalid-link page and confirms nothing."""
    reader = nf.subscriber(status=Subscriber.Status.PENDING)
    url = confirm_url(reader)
    later = time.time() + settings.NEWSLETTER_CONFIRM_MAX_AGE + 1
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.post(url)
    assert response.status_code == 400 and "not valid" in response.content.decode()
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.PENDING


def test_resubscribe_goes_through_confirmation_again(client):
    """An unsubscribed reader who signs up again stays out until they confirm the new link."""
    reader = nf.subscriber(email="back@example.org")
    old_link = confirm_url(reader)
    client.post(f"/newsletter/unsubscribe/{tokens.make(tokens.UNSUBSCRIBE, reader)}/one-click/")
    client.post("/newsletter/", {"email": "back@example.org"})
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED
    assert len(mail.outbox) == 1 and "/newsletter/confirm/" in mail.outbox[0].body
    # A link issued before the reader left cannot bring them back.
    assert client.post(old_link).status_code == 400
    new_link = mail.outbox[0].body.split("https://news.example.org", 2)[1].split()[0]
    assert new_link.startswith("/newsletter/confirm/")
    client.post(new_link)
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE
