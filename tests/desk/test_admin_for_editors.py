"""The admin index is made for editors: the machinery is grouped under Operations for administrators,
editors see there only what they act on, and the site settings open to them."""

import pytest
from django.urls import reverse

from core.models import SiteSettings
from tests.support import factories as f

pytestmark = pytest.mark.django_db

MACHINERY = {"dbtaskresult", "workerheartbeat", "delivery", "subscribermail"}


def index(client, user):
    client.force_login(user)
    apps = client.get(reverse("admin:index")).context["app_list"]
    return {app["name"]: {model["object_name"].lower() for model in app["models"]} for app in apps}


def test_editors_index_keeps_the_machinery_out_of_the_way(client):
    """Editors see the desk's own pages, Site settings, and under Operations only subscriber mails."""
    groups = index(client, f.user(group="Editors"))
    assert "article" in groups["Editorial"] and groups["Site"] == {"sitesettings"}
    assert groups["Operations"] == {"subscribermail"}
    shown = set().union(*groups.values())
    assert not shown & {"dbtaskresult", "workerheartbeat", "delivery"}


def test_administrators_find_the_machinery_under_operations(client):
    """A superuser's index groups task results, heartbeats, deliveries and subscriber mails together,
    last."""
    groups = index(client, f.user(superuser=True))
    assert groups["Operations"] == MACHINERY and list(groups)[-1] == "Operations"
    assert not MACHINERY & set().union(*(models for name, models in groups.items() if name != "Operations"))


def test_editors_change_the_site_settings_and_writers_cannot(client):
    """The site settings page answers editors (as the README documents) and refuses writers."""
    SiteSettings.objects.get_or_create(pk=1)
    url = reverse("admin:core_sitesettings_change", args=[1])
    client.force_login(f.user(group="Editors"))
    response = client.get(url)
    assert response.status_code == 200 and 'name="_save"' in response.content.decode()
    client.force_login(f.user(group="Writers"))
    assert client.get(url).status_code == 403


def test_editors_still_reach_a_daily_updates_deliveries(client):
    """Hidden from the index is not forbidden: the deliveries list still answers editors."""
    client.force_login(f.user(group="Editors"))
    assert client.get(reverse("admin:newsletter_delivery_changelist")).status_code == 200
