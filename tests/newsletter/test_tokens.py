import time

import pytest

from newsletter import tokens
from newsletter.models import Subscriber
from tests.support import factories_newsletter as nf

pytestmark = pytest.mark.django_db


def test_token_round_trip():
    """A token read with its own purpose names its subscriber."""
    reader = nf.subscriber()
    assert tokens.read(tokens.UNSUBSCRIBE, tokens.make(tokens.UNSUBSCRIBE, reader))["id"] == reader.pk


@pytest.mark.parametrize(
    "made_for,read_as",
    [
        (tokens.CONFIRM, tokens.UNSUBSCRIBE),
        (tokens.UNSUBSCRIBE, tokens.CONFIRM),
        (tokens.TOPICS, tokens.UNSUBSCRIBE),
        (tokens.UNSUBSCRIBE, tokens.TOPICS),
    ],
)
def test_wrong_purpose_refused(made_for, read_as):
    """A token made for one purpose is refused by every other."""
    with pytest.raises(tokens.InvalidToken):
        tokens.read(read_as, tokens.make(made_for, nf.subscriber()))


def test_tampered_token_refused():
    """Changing any part of a token breaks its signature."""
    token = tokens.make(tokens.UNSUBSCRIBE, nf.subscriber())
    payload, rest = token.split(":", 1)
    tampered = payload[:-1] + ("A" if payload[-1] != "A" else "B") + ":" + rest
    with pytest.raises(tokens.InvalidToken):
        tokens.read(tokens.UNSUBSCRIBE, tampered)


def test_expired_confirmation_refused(monkeypatch, settings):
    """A confirmation link stops working after NEWSLETTER_CONFIRM_MAX_AGE."""
    token = tokens.make(tokens.CONFIRM, nf.subscriber(status=Subscriber.Status.PENDING))
    later = time.time() + settings.NEWSLETTER_CONFIRM_MAX_AGE + 60
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(tokens.InvalidToken):
        tokens.read(tokens.CONFIRM, token)


def test_unsubscribe_links_do_not_expire(monkeypatch):
    """An unsubscribe link in a year-old email still works."""
    reader = nf.subscriber()
    token = tokens.make(tokens.UNSUBSCRIBE, reader)
    later = time.time() + 365 * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    assert tokens.read(tokens.UNSUBSCRIBE, token)["id"] == reader.pk


def test_token_views_refuse_bad_tokens(client):
    """Confirm, unsubscribe and topics pages answer 400 to a token made for another purpose."""
    reader = nf.subscriber(status=Subscriber.Status.PENDING)
    wrong = tokens.make(tokens.TOPICS, reader)
    for name in ("confirm", "unsubscribe"):
        assert client.post(f"/newsletter/{name}/{wrong}/").status_code == 400
    assert client.get(f"/newsletter/topics/{tokens.make(tokens.CONFIRM, reader)}/").status_code == 400
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.PENDING
