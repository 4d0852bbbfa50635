"""Load the demo tracker (tracker/demo_content.py) after seed_demo, through measure_save.

Safe to run again: a measure already there (by slug) is left exactly as it is, so editors' changes
survive a rerun.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from articles.models import Article, Country, Mineral, Source
from tracker import demo_content as demo
from tracker.models import Measure, MeasureEvent
from tracker.services import measure_save


def _measure_create(spec):
    minerals = list(Mineral.objects.filter(slug__in=spec["minerals"]))
    missing = set(spec["minerals"]) - {mineral.slug for mineral in minerals}
    if missing:
        raise CommandError(f"Run manage.py seed_demo first: no mineral {', '.join(sorted(missing))}.")
    country = Country.objects.filter(slug=spec["implementing_country"]).first()
    if country is None:
        raise CommandError(f"Run manage.py seed_demo first: no country {spec['implementing_country']}.")
    measure = Measure(
        slug=spec["slug"],
        title=spec["title"],
        summary=spec["summary"],
        kind=spec["kind"],
        direction=spec["direction"],
        implementing_country=country,
        instrument=spec["instrument"],
        official_source=Source.objects.filter(slug=spec.get("official_source", "")).first(),
        status=Measure.Status.PUBLISHED,
    )

    def save_related():
        measure.minerals.set(minerals)
        measure.affected_countries.set(Country.objects.filter(slug__in=spec.get("affected_countries", [])))
        for values in spec["events"]:
            event = MeasureEvent.objects.create(
                measure=measure,
                kind=values["kind"],
                date=values["date"],
                date_precision=values.get("date_precision", "day"),
                until=values.get("until"),
                summary=values.get("summary", ""),
                status=MeasureEvent.Status.PUBLISHED,
            )
            event.articles.set(Article.objects.filter(slug__in=values.get("articles", [])))

    measure_save(measure=measure, save_related=save_related, reason="Recorded from the public record")


class Command(BaseCommand):
    help = "Load the demo tracker's measures (run after seed_demo; safe to run again)."

    def handle(self, *args, **options):
        try:
            for values in demo.COUNTRIES:
                Country.objects.get_or_create(slug=values["slug"], defaults=values)
            created = 0
            for spec in demo.MEASURES:
                if not Measure.objects.filter(slug=spec["slug"]).exists():
                    _measure_create(spec)
                    created += 1
        except DatabaseError as error:
            raise CommandError(f"The database refused the demo tracker: {error}") from error
        self.stdout.write(
            f"Demo tracker: {created} measure(s) added, {len(demo.MEASURES) - created} already there."
        )
