import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import IntegrityError, transaction

from newsletter.models import Subscriber
from tests.support import factories_newsletter as nf

pytestmark = pytest.mark.django_db


def test_email_is_unique_whatever_its_case():
    """The database refuses a second row for the same address in other letters' case."""
    nf.subscriber(email="Reader@Example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.create(email="reader@EXAMPLE.ORG")


def test_with_email_matches_case_insensitively():
    """Lookups by address match the way the constraint does."""
    reader = nf.subscriber(email="Reader@Example.org")
    assert Subscriber.objects.with_email("  reader@example.ORG ").get() == reader


def test_status_querysets():
    """active() and pending() select by status and nothing else."""
    active = nf.subscriber()
    pending = nf.subscriber(status=Subscriber.Status.PENDING)
    nf.subscriber(status=Subscriber.Status.UNSUBSCRIBED)
    assert list(Subscriber.objects.active()) == [active]
    assert list(Subscriber.objects.pending()) == [pending]


def test_no_missing_migrations():
    """The models and the migrations agree."""
    call_command("makemigrations", "newsletter", "--check", "--dry-run", verbosity=0)


def test_editors_get_newsletter_permissions():
    """The Editors group can run the newsletter from the admin."""
    codenames = set(
        Group.objects.get(name="Editors")
        .permissions.filter(content_type__app_label="newsletter")
        .values_list("codename", flat=True)
    )
    assert {
        "view_subscriber",
        "change_subscriber",
        "change_dailyupdate",
        "view_delivery",
        "view_subscribermail",
        "change_subscribermail",
        "view_workerheartbeat",
    } <= codenames
    assert Group.objects.get(name="Editors").permissions.filter(codename="view_dbtaskresult").exists()


def test_demo_seeding_adds_one_confirmed_subscriber_once():
    """`seed_demo_newsletter` leaves exactly one active demo subscriber, however often it runs."""
    for _ in range(2):
        call_command("seed_demo_newsletter", stdout=io.StringIO())
    assert list(Subscriber.objects.values_list("email", "status")) == [("reader@example.org", "active")]
