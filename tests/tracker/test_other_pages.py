"""The tracker on the article page ("Measures in this story") and on mineral and country pages (a
timeline strip), with drafts kept out and query counts that do not grow with measures."""

from datetime import date

import pytest

from tests.tracker import factories
from tracker.models import Measure, MeasureEvent

pytestmark = pytest.mark.django_db
Kind = MeasureEvent.Kind


def test_article_page_lists_the_measures_it_reports_with_status_today(client):
    """The story's box names each measure it reports, its status today and the events it reports."""
    story = factories.article()
    measure = factories.measure(title="Gallium licensing", events=[(Kind.IN_FORCE, date(2023, 8, 1))])
    factories.event(measure=measure, kind=Kind.AMENDED, day=date(2024, 12, 3), articles=[story])
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Measures in this story" in page
    assert "Gallium licensing" in page and "In force" in page and "amended, 3 December 2024" in page


def test_article_page_leaves_out_drafts_and_unreported_measures(client):
    """A draft event or a draft measure linked to the story does not show; nothing shows without any."""
    story = factories.article()
    plain = client.get(story.get_absolute_url()).content.decode()
    assert "Measures in this story" not in plain
    draft_measure = factories.measure(title="Draft measure", status=Measure.Status.DRAFT)
    factories.event(measure=draft_measure, articles=[story], status="draft")
    live = factories.measure(title="Live measure")
    factories.event(measure=live, articles=[story], status="draft")
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Draft measure" not in page and "Live measure" not in page


def test_article_page_query_count_does_not_grow_with_measures(client, django_assert_num_queries):
    """A story reporting one measure costs the same as one reporting five."""
    one, five = factories.article(), factories.article()
    factories.event(measure=factories.measure(), articles=[one])
    for _ in range(5):
        factories.event(measure=factories.measure(), articles=[five])
    client.get(one.get_absolute_url())
    # The article page's twelve (tests/articles/test_pages.py), and one more for the measures' events.
    with django_assert_num_queries(13) as first:
        client.get(one.get_absolute_url())
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(five.get_absolute_url())


def test_mineral_and_country_pages_show_a_timeline_strip(client):
    """Mineral and country pages (implementing or affected) draw a strip per published measure."""
    gallium, china, japan = factories.mineral(name="Gallium"), factories.country(), factories.country()
    factories.article(minerals=[gallium], countries=[china, japan])
    factories.measure(
        title="Gallium licensing",
        minerals=[gallium],
        implementing_country=china,
        affected=[japan],
        events=[(Kind.IN_FORCE, date(2023, 8, 1))],
    )
    factories.measure(title="Draft on gallium", minerals=[gallium], status=Measure.Status.DRAFT)
    for subject in (gallium, china, japan):
        page = client.get(subject.get_absolute_url()).content.decode()
        assert "Gallium licensing" in page and "<svg" in page, subject
        assert "Draft on gallium" not in page
