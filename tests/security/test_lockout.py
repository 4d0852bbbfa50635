"""Lockout that cannot be used against the locked: wrong passwords lock the guesser's address, never the
account for its owner, and a guesser who keeps trying waits longer each time."""

import pytest
import time_machine
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
