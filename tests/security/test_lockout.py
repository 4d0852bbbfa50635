"""Lockout that cannot be used against the locked: wrong passwords lock the guesser's address, never the
account for its owner, and a guesser who keeps trying waits longer each time."""

import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.core.test_staff_signin import sign_in
from tests.support import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.STAFF_LOGIN_COOLOFF_MINUTES = 15
    settings.STAFF_LOGIN_COOLOFF_MAX_HOURS = 24


def test_wrong_passwords_from_many_addresses_leave_the_owner_able_to_sign_in(client):
    """Five wrong passwords from each of six addresses, every fifteen minutes: the owner, from their own
    address, signs in at once every time."""
    f.user(username="editor-ana")
    start = timezone.now()
    for round_number in range(2):
        with time_machine.travel(start + timezone.timedelta(minutes=15 * round_number), tick=False):
            for host in range(1, 7):
                for _ in range(5):
                    sign_in(client, "editor-ana", "guess", REMOTE_ADDR=f"203.0.113.{host}")
            assert sign_in(client, "editor-ana", "guess", REMOTE_ADDR="203.0.113.3").status_code == 429
            owner = sign_in(client, "editor-ana", REMOTE_ADDR="198.51.100.20")
            assert owner.status_code == 302, f"owner locked out in round {round_number}"
            client.logout()


def test_the_guessers_wait_grows_with_each_try_while_locked(client):
    """Past the limit each wrong password doubles the address's wait: twenty minutes on, an address that
    stopped at the limit may try again, one that sent two more (an hour's wait) may not."""
    f.user(username="editor-ana")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            sign_in(client, "editor-ana", "guess", REMOTE_ADDR="203.0.113.5")
        for _ in range(7):
            sign_in(client, "editor-ana", "guess", REMOTE_ADDR="203.0.113.7")
    with time_machine.travel(start + timezone.timedelta(minutes=20), tick=False):
        assert sign_in(client, "editor-ana", REMOTE_ADDR="203.0.113.7").status_code == 429
        assert sign_in(client, "editor-ana", REMOTE_ADDR="203.0.113.5").status_code == 302


def test_the_owner_unlocks_their_own_address_with_the_mailed_link(client, mailoutbox):
    """Locked at their own address, the owner asks for a link; the page answers the same for any name,
    only the account's mailbox gets the link, and its button lifts the lock for that address."""
    f.user(username="editor-ana", email="ana@newsroom.example.org")
    for _ in range(5):
        sign_in(client, "editor-ana", "typo", REMOTE_ADDR="198.51.100.20")
    locked = sign_in(client, "editor-ana", REMOTE_ADDR="198.51.100.20")
    assert locked.status_code == 429 and reverse("signin-unlock-request") in locked.content.decode()

    unknown = client.post(
        reverse("signin-unlock-request"), {"username": "nobody"}, REMOTE_ADDR="198.51.100.20"
    )
    known = client.post(
        reverse("signin-unlock-request"), {"username": "editor-ana"}, REMOTE_ADDR="198.51.100.20"
    )
    assert unknown.content == known.content and known.status_code == 200
    assert [message.to for message in mailoutbox] == [["ana@newsroom.example.org"]]
    link = re.search(r"https?://[^/\s]+(/\S+/unlock/\S+/)", mailoutbox[0].body).group(1)

    assert client.get(link).status_code == 200  # a mail scanner's GET unlocks nothing
    assert sign_in(client, "editor-ana", REMOTE_ADDR="198.51.100.20").status_code == 429
    assert client.post(link).status_code == 200
    assert sign_in(client, "editor-ana", REMOTE_ADDR="198.51.100.20").status_code == 302


def test_an_unlock_link_that_was_altered_or_has_expired_unlocks_nothing(client):
    """A changed or hour-old link is refused, and the lock stays."""
    from core.unlock import unlock_token

    user = f.user(username="editor-ana", email="ana@newsroom.example.org")
    for _ in range(5):
        sign_in(client, "editor-ana", "typo", REMOTE_ADDR="198.51.100.20")
    token = unlock_token(user, "198.51.100.20")
    assert client.post(reverse("signin-unlock", args=[token[:-2] + "xx"])).status_code == 400
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=61)):
        assert client.post(reverse("signin-unlock", args=[token])).status_code == 400
    assert sign_in(client, "editor-ana", REMOTE_ADDR="198.51.100.20").status_code == 429
