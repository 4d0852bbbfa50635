"""RSS 2.0 and Atom feeds of tracker changes: each published event as it is recorded, for the whole
tracker, one mineral, one country (implementing or affected) or one measure."""

from datetime import timezone as dt_timezone

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse

from articles.feeds import AtomWithContent, RssWithContent
from articles.models import Country, Mineral
from core.site import absolute_url, site_host
from tracker import selectors
from tracker.models import Measure

SCOPES = {
    "tracker": None,
    "mineral": Mineral,
    "country": Country,
    "measure": Measure,
}


class TrackerFeed(Feed):
    """Changes to the tracker's published measures, newest recorded first."""

    def __init__(self, scope="tracker", *, atom=False):
        super().__init__()
        self.scope = scope
        self.feed_type = AtomWithContent if atom else RssWithContent
        self.feed_name = (
            f"tracker:{'feed' if scope == 'tracker' else scope + '-feed'}{'-atom' if atom else ''}"
        )

    def get_object(self, request, slug=None):
        model = SCOPES[self.scope]
        if model is None:
            return None
        objects = Measure.objects.published() if model is Measure else model.objects.all()
        return get_object_or_404(objects, slug=slug)

    def title(self, subject):
        name = "Tracker" if subject is None else f"{subject} · Tracker"
        return f"{name} · {settings.SITE_NAME}"

    def description(self, subject):
        about = "critical minerals" if subject is None else str(subject)
        return (
            f"Changes to export controls and other measures on {about}, from {settings.SITE_NAME}'s tracker."
        )

    subtitle = description

    def link(self, subject):
        if isinstance(subject, Measure):
            return absolute_url(subject.get_absolute_url())
        url = reverse("tracker:list")
        if subject is not None:
            url += f"?{self.scope}={subject.slug}"
        return absolute_url(url)

    def feed_url(self, subject):
        kwargs = {"slug": subject.slug} if subject is not None else {}
        return absolute_url(reverse(self.feed_name, kwargs=kwargs))

    def author_name(self, subject):
        return settings.SITE_NAME

    def items(self, subject):
        events = selectors.published_events().select_related("measure")
        if isinstance(subject, Measure):
            events = events.filter(measure=subject)
        elif subject is not None:
            measures = Measure.objects.published()
            measures = (
                measures.about_mineral(subject)
                if self.scope == "mineral"
                else measures.about_country(subject)
            )
            events = events.filter(measure__in=measures)
        return events.order_by("-updated_at", "-pk")[: settings.FEED_ITEMS]

    def item_title(self, event):
        return f"{event.measure.title}: {event.get_kind_display().lower()}, {event.date_display}"

    def item_description(self, event):
        until = f" Until {event.until:%-d %B %Y}." if event.until else ""
        return (event.summary or event.get_kind_display()) + until

    def item_link(self, event):
        return absolute_url(event.get_absolute_url())

    item_guid_is_permalink = False

    def item_guid(self, event):
        created = event.created_at.astimezone(dt_timezone.utc)
        return f"tag:{site_host()},{created:%Y-%m-%d}:measure-event:{event.pk}"

    def item_pubdate(self, event):
        return event.created_at

    def item_updateddate(self, event):
        return event.updated_at

    def item_categories(self, event):
        return [event.measure.get_kind_display()]
