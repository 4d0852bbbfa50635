"""Source ownership is dated: every change of owner or controller, by any path, is kept and shown on the
source page."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import SourceOwnership
from tests.support import factories as f
from tests.support.parsing import form_values

pytestmark = pytest.mark.django_db


def history(source):
    return [(r.owner, r.controlled_by, r.since) for r in source.ownership_history.all()]


def test_a_new_source_starts_an_undated_history_and_a_change_is_dated_today(client):
    """Registering a source records its owner without a date; a later change from the shell holds from
    today."""
    source = f.source(name="Harbour Daily", owner="City Press Group", controlled_by="")
    assert history(source) == [("City Press Group", "", None)]
    source.notes = "Background only."
    source.save()
    assert len(history(source)) == 1
    source.controlled_by = "The provincial committee"
    source.save()
    assert history(source)[0] == ("City Press Group", "The provincial committee", timezone.localdate())
    assert not SourceOwnership.objects.filter(source=f.source(owner="", controlled_by="")).exists()


def test_the_admin_dates_a_change_when_the_editor_says(client):
    """An editor changing the owner gives the date it holds from; the row records who entered it."""
    editor = f.user(group="Editors")
    source = f.source(name="Harbour Daily", owner="City Press Group")
    client.force_login(editor)
    url = reverse("admin:articles_source_change", args=[source.pk])
    data = form_values(client.get(url), "source_form")
    data.update(owner=["Harbour Holdings"], ownership_since=["2025-07-01"])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = source.ownership_history.first()
    assert (latest.owner, latest.since, latest.recorded_by) == ("Harbour Holdings", date(2025, 7, 1), editor)


def test_the_source_page_shows_the_dated_history(client):
    """Readers see each owner and controller with the dates they held, the current one first."""
    source = f.source(name="Harbour Daily", owner="City Press Group")
    source.owner, source.ownership_since = "Harbour Holdings", date(2025, 7, 1)
    source.save()
    source.controlled_by, source.ownership_since = "State Assets Commission", date(2026, 2, 3)
    source.save()
    html = client.get(source.get_absolute_url()).content.decode()
    section = html[html.index("Ownership history") :]
    newest = section.index('From <time datetime="2026-02-03">3 February 2026</time>, current')
    middle = section.index(
        'From <time datetime="2025-07-01">1 July 2025</time> to <time datetime="2026-02-03">'
    )
    oldest = section.index('Before our records are dated to <time datetime="2025-07-01">')
    assert newest < middle < oldest
    assert "owned by Harbour Holdings, controlled by State Assets Commission." in section
    assert "owned by City Press Group." in section
