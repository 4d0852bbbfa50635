from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from newsletter import emails, sending, subscriptions, tokens
from newsletter.models import Delivery, Subscriber
from tests.support import factories as f
from tests.support import factories_newsletter as nf

pytestmark = pytest.mark.django_db


def topics_url(reader):
    return f"/newsletter/topics/{tokens.make(tokens.TOPICS, reader)}/"


def test_topics_page_changes_topics(client):
    """The signed topics link lets a subscriber pick minerals and countries."""
    lithium, cobalt, chile = f.mineral(name="Lithium"), f.mineral(name="Cobalt"), f.country(name="Chile")
    f.article(minerals=[lithium, cobalt], countries=[chile])
    reader = nf.subscriber(minerals=[cobalt])
    page = client.get(topics_url(reader))
    assert page.status_code == 200 and "Lithium" in page.content.decode()
    response = client.post(topics_url(reader), {"minerals": [lithium.pk], "countries": [chile.pk]})
    assert response.status_code == 200 and "Saved" in response.content.decode()
    assert list(reader.minerals.all()) == [lithium] and list(reader.countries.all()) == [chile]


def test_clearing_topics_means_everything(client):
    """Unticking everything returns the subscriber to the full update."""
    reader = nf.subscriber(minerals=[f.mineral()])
    client.post(topics_url(reader), {})
    assert not reader.minerals.exists() and not reader.countries.exists()


def test_topics_page_for_unsubscribed_offers_signup(client):
    """An unsubscribed reader's topics link changes nothing and points to signup."""
    mineral = f.mineral()
    reader = nf.subscriber(status=Subscriber.Status.UNSUBSCRIBED)
    response = client.post(topics_url(reader), {"minerals": [mineral.pk]})
    assert "Sign up again" in response.content.decode()
    assert not reader.minerals.exists()


def test_every_digest_links_to_topics(mailoutbox):
    """Each daily update email carries the subscriber's own topics link."""
    reader = nf.subscriber()
    update = nf.daily_update(articles=[f.article()], audience=[reader], status="sending")
    sending.deliveries_send_batch(delivery_ids=list(update.deliveries.values_list("pk", flat=True)))
    token_path = mailoutbox[0].body.split("Change your topics: https://news.example.org")[1].split()[0]
    assert subscriptions.subscriber_for_token(purpose=tokens.TOPICS, token=token_path.split("/")[3]) == reader


def test_digest_filtered_by_topics(mailoutbox):
    """Subscribers with topics get only matching articles; those without get all; no match, no mail."""
    lithium, cobalt, chile, congo = f.mineral(), f.mineral(), f.country(), f.country()
    on_lithium = f.article(title="Lithium price story", minerals=[lithium])
    on_chile = f.article(title="Chile policy story", countries=[chile])
    on_cobalt_congo = f.article(title="Cobalt Congo story", minerals=[cobalt], countries=[congo])
    everything = nf.subscriber(email="all@example.org")
    lithium_or_chile = nf.subscriber(email="lc@example.org", minerals=[lithium], countries=[chile])
    nothing_today = nf.subscriber(email="none@example.org", minerals=[f.mineral()])
    update = nf.daily_update(
        articles=[on_lithium, on_chile, on_cobalt_congo],
        status="sending",
        audience=[everything, lithium_or_chile, nothing_today],
    )
    sending.deliveries_send_batch(delivery_ids=list(update.deliveries.values_list("pk", flat=True)))
    by_reader = {message.to[0]: message for message in mailoutbox}
    assert set(by_reader) == {"all@example.org", "lc@example.org"}
    for title in ("Lithium price story", "Chile policy story", "Cobalt Congo story"):
        assert title in by_reader["all@example.org"].body
    assert "Lithium price story" in by_reader["lc@example.org"].body
    assert "Chile policy story" in by_reader["lc@example.org"].alternatives[0].content
    assert "Cobalt Congo story" not in by_reader["lc@example.org"].body
    skipped = Delivery.objects.get(subscriber=nothing_today)
    assert skipped.status == Delivery.Status.SKIPPED and "topics" in skipped.error


def test_digest_rendered_once_per_topic_set(mailoutbox):
    """Subscribers sharing a topic set share one rendering of the digest."""
    lithium = f.mineral()
    article = f.article(minerals=[lithium])
    readers = [
        nf.subscriber(),
        nf.subscriber(),
        nf.subscriber(minerals=[lithium]),
        nf.subscriber(minerals=[lithium]),
    ]
    update = nf.daily_update(articles=[article], status="sending", audience=readers)
    with mock.patch.object(emails, "render_digest", wraps=emails.render_digest) as render:
        sending.deliveries_send_batch(delivery_ids=list(update.deliveries.values_list("pk", flat=True)))
    assert render.call_count == 2
    assert len(mailoutbox) == 4
    # Each copy still carries its own reader's links.
    assert len({message.extra_headers["List-Unsubscribe"] for message in mailoutbox}) == 4
    assert len(mail.outbox) == 4


@pytest.mark.parametrize("build", ["confirmation_message", "already_subscribed_message", "welcome_message"])
def test_every_subscriber_mail_links_to_topics(build):
    """Confirmation, welcome and already-subscribed mails carry the reader's topics link in both parts."""
    import re

    reader = nf.subscriber(status="pending" if build == "confirmation_message" else "active")
    message = getattr(emails, build)(reader)
    for part in (message.body, message.alternatives[0].content):
        token = re.search(r"https://news\.example\.org/newsletter/topics/([^/\s\"]+)/", part).group(1)
        assert subscriptions.subscriber_for_token(purpose=tokens.TOPICS, token=token) == reader


def test_topics_offer_only_tags_of_live_stories(client):
    """A tag used only on a draft is not offered, and posting its id is a form error, not a topic."""
    live, secret = f.mineral(name="Lithium"), f.mineral(name="Hafnium")
    f.article(minerals=[live])
    f.article(minerals=[secret], status="draft")
    reader = nf.subscriber()
    page = client.get(topics_url(reader)).content.decode()
    assert "Lithium" in page and "Hafnium" not in page
    client.post(topics_url(reader), {"minerals": [secret.pk]})
    assert not reader.minerals.exists()


@pytest.mark.parametrize("value", ["99999999999999999999", "-99999999999999999999", "abc", "1\x00", "1.5"])
def test_topic_ids_no_row_could_have_are_form_errors(client, value):
    """Ids too large for the database, NUL bytes or words in the topic fields give a form error, never a
    500."""
    f.article(minerals=[f.mineral()])
    reader = nf.subscriber()
    response = client.post(topics_url(reader), {"minerals": [value], "countries": [value]})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    response = client.post("/newsletter/", {"email": "x@example.org", "minerals": [value]})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_topics_follow_stories_published_after_the_server_started(client):
    """A tag whose first story went live after the forms were loaded is offered, and a signup may choose
    it."""
    import newsletter.forms  # noqa: F401 - loaded, as a running server has it, before the story goes live

    later = timezone.now() + timedelta(days=1)
    with time_machine.travel(later, tick=False):
        yttrium = f.mineral(name="Yttrium")
        f.article(minerals=[yttrium], publish_at=later - timedelta(minutes=1))
        assert "Yttrium" in client.get("/newsletter/").content.decode()
        response = client.post("/newsletter/", {"email": "late@example.org", "minerals": [yttrium.pk]})
        assert response.status_code == 302
