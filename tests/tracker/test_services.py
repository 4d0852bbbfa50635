"""measure_save and event_save: who may publish on every path (the service, the measure's admin
page with its inline events, the event's own page, linking from an article), and the kept history."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.tracker import factories
from tracker.models import Measure, MeasureChange, MeasureEvent
from tracker.services import event_save, measure_save

pytestmark = pytest.mark.django_db
Kind = MeasureEvent.Kind


def measure_form(measure=None, *, events=(), **changes):
    """What the measure's admin form posts, with inline events as dicts."""
    data = {
        "title": getattr(measure, "title", "Gallium export licensing"),
        "slug": getattr(measure, "slug", "gallium-export-licensing"),
        "summary": "",
        "kind": Measure.Kind.EXPORT_LICENSING,
        "direction": Measure.Direction.RESTRICTIVE,
        "implementing_country": "",
        "affected_countries": [],
        "minerals": [],
        "hs_codes": "",
        "instrument": "Announcement No. 23 [2023]",
        "official_url": "",
        "official_source": "",
        "status": getattr(measure, "status", Measure.Status.DRAFT),
        "events-TOTAL_FORMS": str(len(events)),
        "events-INITIAL_FORMS": str(sum(1 for event in events if event.get("id"))),
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
    }
    for index, event in enumerate(events):
        values = {
            "kind": Kind.IN_FORCE,
            "date": "2023-08-01",
            "date_precision": "day",
            "until": "",
            "summary": "",
            "status": "draft",
            "measure": getattr(measure, "pk", ""),
            **event,
        }
        data.update({f"events-{index}-{name}": value for name, value in values.items()})
    data.update(changes)
    return data


def test_writer_drafts_a_measure_with_an_event_in_the_admin(client):
    """A writer saves a draft measure with a draft event; the change is kept with their name."""
    writer = factories.user(group="Writers")
    client.force_login(writer)
    response = client.post(reverse("admin:tracker_measure_add"), measure_form(events=[{}]))
    assert response.status_code == 302, response.context["adminform"].errors if response.context else ""
    measure = Measure.objects.get()
    assert measure.events.get().status == MeasureEvent.Status.DRAFT
    change = MeasureChange.objects.get(measure=measure)
    assert (change.changed_by, change.public) == (writer, False)


def test_writer_cannot_publish_a_measure_in_the_admin(client):
    """A writer's form that publishes the measure is refused with a message; nothing is written."""
    client.force_login(factories.user(group="Writers"))
    response = client.post(reverse("admin:tracker_measure_add"), measure_form(status="published"))
    assert response.status_code == 200
    assert "Only editors can publish" in response.content.decode()
    assert not Measure.objects.exists()


def test_writer_cannot_publish_an_inline_event(client):
    """An inline event set to published by a writer is refused; the draft measure stays as it was."""
    draft = factories.measure(status=Measure.Status.DRAFT)
    client.force_login(factories.user(group="Writers"))
    response = client.post(
        reverse("admin:tracker_measure_change", args=[draft.pk]),
        measure_form(draft, events=[{"status": "published"}]),
    )
    assert response.status_code == 200
    assert not draft.events.exists()


def test_writer_only_views_a_published_measure(client):
    """A writer may read a published measure in the admin but not post a change to it."""
    live = factories.measure()
    client.force_login(factories.user(group="Writers"))
    assert client.get(reverse("admin:tracker_measure_change", args=[live.pk])).status_code == 200
    response = client.post(
        reverse("admin:tracker_measure_change", args=[live.pk]), measure_form(live, title="New")
    )
    assert response.status_code == 403
    assert Measure.objects.get(pk=live.pk).title == live.title


def test_editor_publishes_measure_and_event_in_the_admin(client):
    """An editor publishes a measure with an event in force; the status rule sees it at once."""
    editor = factories.user(group="Editors")
    client.force_login(editor)
    response = client.post(
        reverse("admin:tracker_measure_add"),
        measure_form(status="published", events=[{"status": "published"}]),
    )
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert measure.status_on(date(2023, 8, 1)).state == "in_force"
    assert MeasureChange.objects.get(measure=measure).public


def test_service_refuses_a_writer_on_every_kind_of_publishing():
    """Called directly, the service refuses a writer's publishing of a measure, of an event, and any
    change to what readers see of a published measure, and rolls each back."""
    writer = factories.user(group="Writers")
    with pytest.raises(PermissionDenied):
        factories.measure(user=writer)
    assert not Measure.objects.exists()
    draft = factories.measure(status=Measure.Status.DRAFT, user=writer)
    with pytest.raises(PermissionDenied):
        factories.event(measure=draft, user=writer)
    assert not draft.events.exists()
    live = factories.measure(events=[(Kind.IN_FORCE, date(2023, 8, 1))])
    live.title = "Renamed by a writer"
    with pytest.raises(PermissionDenied):
        measure_save(measure=live, user=writer)
    assert Measure.objects.get(pk=live.pk).title != "Renamed by a writer"
    published_event = live.events.get()
    published_event.until = date(2030, 1, 1)
    with pytest.raises(PermissionDenied):
        event_save(event=published_event, user=writer)
    assert live.events.get().until is None


def test_writer_may_add_a_draft_event_to_a_published_measure():
    """A draft event changes nothing readers see, so a writer may record one on a live measure."""
    writer = factories.user(group="Writers")
    live = factories.measure(events=[(Kind.IN_FORCE, date(2023, 8, 1))])
    factories.event(measure=live, kind=Kind.SUSPENDED, status=MeasureEvent.Status.DRAFT, user=writer)
    assert live.events.count() == 2
    assert not MeasureChange.objects.filter(measure=live, changed_by=writer, public=True).exists()


def test_changes_to_a_published_measure_are_kept_with_who_and_what():
    """Each change to a published measure keeps who made it and the field's before and after."""
    editor = factories.user(group="Editors")
    live = factories.measure(instrument="Announcement No. 23")
    live.instrument = "MOFCOM/GAC Announcement No. 23 [2023]"
    change = measure_save(measure=live, user=editor)
    assert change.public and change.changed_by == editor
    assert change.changes["instrument"] == ["Announcement No. 23", "MOFCOM/GAC Announcement No. 23 [2023]"]
    assert change.summary == "Changed instrument"
    assert measure_save(measure=live, user=editor) is None  # nothing changed, nothing kept


def test_editor_links_a_story_to_an_event_from_the_article_page(client):
    """From the article's admin page an editor reaches the link view and links the story in one post."""
    editor = factories.user(group="Editors")
    story = factories.article()
    event = factories.event(measure=factories.measure())
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    link_url = reverse("admin:tracker_measureevent_link_article", args=[story.pk])
    assert link_url in page and "Record a new event" in page
    response = client.post(link_url, {"event": event.pk})
    assert response.status_code == 302
    assert list(event.articles.all()) == [story]
    assert MeasureChange.objects.filter(
        measure=event.measure, summary__startswith="Linked the story"
    ).exists()


def test_writer_cannot_link_a_story_to_a_published_event(client):
    """Linking changes what readers see of a published event: a writer gets the refusal, nothing changes."""
    story = factories.article()
    event = factories.event(measure=factories.measure())
    client.force_login(factories.user(group="Writers"))
    response = client.post(
        reverse("admin:tracker_measureevent_link_article", args=[story.pk]), {"event": event.pk}
    )
    assert response.status_code == 200
    assert "Only editors" in response.content.decode()
    assert not event.articles.exists()


def test_editor_records_a_new_event_prefilled_with_the_story(client):
    """The add-event form opened from an article has the story chosen and saves through the service."""
    editor = factories.user(group="Editors")
    story = factories.article()
    measure = factories.measure(events=[(Kind.IN_FORCE, date(2025, 10, 9))])
    client.force_login(editor)
    add_url = reverse("admin:tracker_measureevent_add") + f"?articles={story.pk}"
    assert f'value="{story.pk}" selected' in client.get(add_url).content.decode()
    response = client.post(
        add_url,
        {
            "measure": measure.pk,
            "kind": Kind.SUSPENDED,
            "status": "published",
            "date": "2025-11-10",
            "date_precision": "day",
            "until": "2026-11-10",
            "summary": "Suspended for a year.",
            "articles": [story.pk],
            "accounts-TOTAL_FORMS": "0",
            "accounts-INITIAL_FORMS": "0",
            "accounts-MIN_NUM_FORMS": "0",
            "accounts-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    assert measure.status_on(date(2026, 1, 1)).label == "Suspended until 10 Nov 2026"


def test_admin_lists_filter_and_search_measures_and_events(client):
    """The measure and event lists render with status today, filters and search by instrument."""
    client.force_login(factories.user(group="Editors"))
    measure = factories.measure(
        instrument="Announcement No. 70 [2025]", events=[(Kind.IN_FORCE, date(2023, 8, 1))]
    )
    factories.measure(instrument="Announcement No. 18 [2025]")
    page = client.get(reverse("admin:tracker_measure_changelist"), {"q": "No. 70"}).content.decode()
    assert measure.title in page and "In force" in page and "No. 18" not in page
    assert (
        client.get(reverse("admin:tracker_measure_changelist"), {"status__exact": "draft"}).status_code == 200
    )
    assert client.get(reverse("admin:tracker_measure_change", args=[measure.pk])).status_code == 200
    assert client.get(reverse("admin:tracker_measureevent_changelist")).status_code == 200
