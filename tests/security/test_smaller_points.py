"""The review's smaller findings, each as an attack that fails: subscriber pages kept out of caches, mail
link tokens kept out of access logs, Message-IDs that do not name the machine."""

import socket
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from gunicorn.config import Config

from core.access_log import TokenRedactingLogger
from newsletter import emails, tokens
from newsletter.models import Subscriber
from tests.support import factories_newsletter as nf

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name, purpose, status",
    [
        ("newsletter:confirm", tokens.CONFIRM, Subscriber.Status.PENDING),
        ("newsletter:unsubscribe", tokens.UNSUBSCRIBE, Subscriber.Status.ACTIVE),
        ("newsletter:topics", tokens.TOPICS, Subscriber.Status.ACTIVE),
    ],
)
def test_pages_showing_a_subscribers_address_are_private_and_not_stored(client, name, purpose, status):
    """A shared cache or a browser's history never keeps a page that shows the subscriber's address."""
    reader = nf.subscriber(status=status, email="private.reader@example.org")
    response = client.get(reverse(name, args=[nf.token(purpose, reader)]))
    assert response.status_code == 200 and "private.reader@example.org" in response.content.decode()
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def access_log_atoms(path, referer="-"):
    logger = TokenRedactingLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_REFERER": referer,
    }
    response = SimpleNamespace(status="200 OK", headers=[], sent=10)
    request = SimpleNamespace(headers=[("REFERER", referer)])
    return logger.atoms(response, request, environ, timedelta(milliseconds=5))


def test_access_logs_do_not_keep_the_links_of_subscribers_mail():
    """The request line, path and referrer of an unsubscribe or topics link are logged without the token
    that would let a log reader unsubscribe the reader or see their address."""
    reader = nf.subscriber()
    for purpose, name in (
        (tokens.UNSUBSCRIBE, "newsletter:unsubscribe"),
        (tokens.TOPICS, "newsletter:topics"),
    ):
        token = nf.token(purpose, reader)
        path = reverse(name, args=[token])
        atoms = access_log_atoms(path, referer=f"https://news.example.org{path}")
        logged = " ".join(str(value) for value in atoms.values())
        assert token not in logged and token.split(":")[0] not in logged
        assert atoms["U"] == path.replace(token, "[token]")
    ordinary = access_log_atoms("/search/?q=lithium")
    assert ordinary["U"] == "/search/?q=lithium"


def test_mail_message_ids_name_the_site_not_the_machine(settings):
    """Confirmation mail's and an editor's test copy's Message-IDs end with the site's domain, never the
    worker's host name."""
    confirmation = emails.confirmation_message(nf.subscriber(status=Subscriber.Status.PENDING))
    test_copy = emails.preview_message(nf.daily_update(), [], "editor@news.example.org")
    for message in (confirmation.message(), test_copy.message()):
        message_id = message["Message-ID"]
        assert message_id.endswith("@news.example.org>")
        assert socket.getfqdn() not in message_id and socket.gethostname() not in message_id
