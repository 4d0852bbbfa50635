"""The tracker on other apps' pages, through templates alone: "Measures in this story" on an article
page and a timeline strip on mineral and country pages. articles never imports the tracker; its
templates include tracker/includes/*.html, which load these tags.

Both are kept pieces (core.page_cache.fragment) under the content version, which every tracker change
moves, and named for today, since the statuses they show are today's.
"""

from django import template
from django.template.loader import render_to_string

from articles.models import Country, Mineral
from core import page_cache
from tracker import dates, selectors, timeline
from tracker.models import Measure

register = template.Library()

STRIP_LIMIT = 12


def _kept(context, name, render):
    today = dates.today()
    return page_cache.fragment(
        f"tracker:{name}:{today.isoformat()}",
        tags=[page_cache.CONTENT],
        render=lambda: render(today),
        request=context.get("request"),
    )


@register.simple_tag(takes_context=True)
def measures_in_story(context, article):
    """The box of published measures `article` reports: each with its status today and the events
    the story reports; nothing when there are none."""

    def render(today):
        measures = [
            (measure, measure.status_on(today), measure.reported_events)
            for measure in selectors.measures_in_articles(article).order_by("title", "pk")
        ]
        return render_to_string("tracker/includes/article_measures_box.html", {"measures": measures})

    return _kept(context, f"story:{article.pk}", render)


@register.simple_tag(takes_context=True)
def measure_strip(context, subject):
    """The measures on a mineral, or taken by or affecting a country, each with status today and a
    small drawing of its periods (the STRIP_LIMIT most recently changed)."""
    if isinstance(subject, Mineral):
        scope = "mineral"
    elif isinstance(subject, Country):
        scope = "country"
    else:
        return ""

    def render(today):
        measures = Measure.objects.published()
        measures = measures.about_mineral(subject) if scope == "mineral" else measures.about_country(subject)
        rows = []
        for measure in measures.prefetch_related("periods").order_by("-updated_at", "pk")[:STRIP_LIMIT]:
            periods = [stored.as_period() for stored in measure.stored_periods()]
            drawing = timeline.build(periods, [], today=today)
            title_id = f"strip-{scope}-{measure.pk}"
            rows.append(
                (
                    measure,
                    measure.status_on(today),
                    timeline.svg(drawing, title_id=title_id, title=measure.title),
                )
            )
        return render_to_string(
            "tracker/includes/timeline_strip.html", {"rows": rows, "subject": subject, "scope": scope}
        )

    return _kept(context, f"{scope}:{subject.pk}", render)
