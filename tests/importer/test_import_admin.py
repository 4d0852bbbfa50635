"""Each run's report is kept and readable in the admin, which cannot alter it; old addresses are listed."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from importer.models import ImportRun

from .conftest import run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(
        get_user_model().objects.create_superuser("chief", "chief@example.org", "a-long-password")
    )
    return client


def test_run_report_is_shown_read_only(admin_client, subjects, django_assert_num_queries):
    """The list shows each run; its page shows the whole report and offers no way to change it."""
    run_import()
    run = ImportRun.objects.get()
    with django_assert_num_queries(6):
        listing = admin_client.get(reverse("admin:importer_importrun_changelist"))
    assert listing.status_code == 200 and "desk.xml" in listing.content.decode()
    page = admin_client.get(reverse("admin:importer_importrun_change", args=[run.pk])).content.decode()
    assert "tag “Opinion” on 1 post" in page
    assert 'name="_save"' not in page
    assert admin_client.get(reverse("admin:importer_importrun_add")).status_code == 403


def test_old_addresses_are_listed(admin_client, subjects):
    """Editors can see, and search, every old address and where it goes."""
    run_import()
    page = admin_client.get(reverse("admin:importer_oldaddress_changelist") + "?q=2024").content.decode()
    assert "/2024/03/05/lithium-prices-slide" in page and "/category/markets" not in page
