"""The tracker's journey in a real browser: an editor records a suspension from the story's admin page,
and a reader sees its countdown and timeline."""

from datetime import timedelta

import pytest

from tests.support import factories as f
from tests.tracker import factories as tf
from tracker import dates
from tracker.models import MeasureEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_editor_records_a_suspension_from_the_story_and_a_reader_sees_the_countdown(
    editor_page, live_server, browser
):
    """From the story's admin page "Record a new event" opens with the story chosen; once saved, the
    measure's page and the tracker show the suspension with its days left and a drawn timeline."""
    page = editor_page
    today = dates.today()
    story = f.article(title="The reprieve nears its end")
    measure = tf.measure(
        title="Rare earth export controls",
        events=[(MeasureEvent.Kind.IN_FORCE, today - timedelta(days=400))],
    )
    page.goto(live_server.url + f"/admin/articles/article/{story.pk}/change/")
    page.click("text=Record a new event")
    page.wait_for_url("**/admin/tracker/measureevent/add/**")
    page.click("#id_measure + .select2")
    page.fill(".select2-search__field", "Rare earth")
    page.click(".select2-results__option:has-text('Rare earth export controls')")
    page.select_option("#id_kind", "suspended")
    page.select_option("#id_status", "published")
    page.fill("#id_date", (today - timedelta(days=5)).isoformat())
    page.fill("#id_until", (today + timedelta(days=3)).isoformat())
    page.fill("#id_summary", "Suspended for a year by Announcement No. 70.")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/tracker/measureevent/")

    event = measure.events.get(kind="suspended")
    assert list(event.articles.all()) == [story]
    reader = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    reader.goto(live_server.url + measure.get_absolute_url())
    status = reader.locator(".measure-status-line")
    assert "Suspended until" in status.inner_text() and "3 days left" in status.inner_text()
    # In force, suspended, and in force again as scheduled once the suspension's last day has passed.
    assert reader.locator("svg.timeline rect").count() == 3
    assert reader.locator("text=The reprieve nears its end").count() == 1
    reader.goto(live_server.url + "/tracker/")
    assert "3 days left" in reader.locator(".deadline-list").inner_text()
    reader.context.close()
    assert page.problems == []
