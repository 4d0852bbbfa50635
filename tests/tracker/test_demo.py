"""`manage.py seed_demo_tracker`: the demo measures from the public record, linked to the demo stories,
once however often it runs, and a readable refusal before seed_demo."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from tracker.models import Measure

pytestmark = pytest.mark.django_db


def test_refuses_in_one_line_before_seed_demo():
    """Without the demo's minerals and countries the command stops with a line saying what to run."""
    with pytest.raises(CommandError, match="Run manage.py seed_demo first"):
        call_command("seed_demo_tracker", stdout=io.StringIO())
    assert not Measure.objects.exists()


def test_loads_the_demo_measures_once_with_their_stories():
    """The demo measures load published with dated events and stories; a second run adds nothing."""
    call_command("seed_demo", force=True, stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_demo_tracker", stdout=out)
    assert "6 measure(s) added" in out.getvalue()
    gallium = Measure.objects.get(slug="china-gallium-germanium-export-licensing")
    assert gallium.status_on(date(2023, 7, 31)).state == "announced"
    assert gallium.status_on(date(2023, 8, 1)).state == "in_force"
    assert (
        gallium.events.get(kind="in_force")
        .articles.filter(slug="gallium-germanium-checks-state-media")
        .exists()
    )
    october = Measure.objects.get(slug="china-october-2025-export-controls")
    assert october.status_on(date(2026, 11, 10)).label == "Suspended until 10 Nov 2026"
    assert october.status_on(date(2026, 11, 11)).is_scheduled
    assert (
        october.events.get(kind="suspended")
        .articles.filter(slug="rare-earth-export-controls-suspension-nears-end")
        .exists()
    )
    assert october.official_source.slug == "mofcom"
    plan = Measure.objects.get(slug="us-mexico-critical-minerals-action-plan")
    assert plan.events.get().date_display == "4 February 2026"
    assert plan.events.get().articles.filter(slug="us-mexico-critical-minerals-action-plan").exists()
    again = io.StringIO()
    call_command("seed_demo_tracker", stdout=again)
    assert "0 measure(s) added, 6 already there" in again.getvalue()
    assert Measure.objects.count() == 6
