from datetime import date as date_type

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize
from django.utils import timezone

from newsletter import services
from newsletter.models import Delivery


class Command(BaseCommand):
    help = (
        "Build the day's daily update from the articles published since the previous one, fix its "
        "audience and queue the sending. Safe to run again: nobody is mailed twice for a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to send, YYYY-MM-DD (default: today).")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent; change nothing.")

    def handle(self, *args, date=None, dry_run=False, **options):
        day = self.parse_date(date)
        if dry_run:
            return self.dry_run(day)
        daily_update, created = services.daily_update_build(date=day)
        if daily_update is None:
            plan = services.daily_update_plan(date=day)
            self.stdout.write(
                f"No new articles between {plan.window_start:%Y-%m-%d %H:%M} and {plan.window_end:%Y-%m-%d %H:%M}; "
                f"no daily update for {day}."
            )
            return
        articles = daily_update.entries.count()
        audience = daily_update.deliveries.count()
        verb = "Built" if created else "Found existing"
        self.stdout.write(
            f"{verb} daily update for {day}: {articles} article{pluralize(articles)}, "
            f"{audience} recipient{pluralize(audience)}."
        )
        result = services.daily_update_enqueue(daily_update=daily_update)
        self.stdout.write(
            f"Queued {result['pending']} deliver{pluralize(result['pending'], 'y,ies')} "
            f"in {result['batches']} batch{pluralize(result['batches'], 'es')}."
        )
        self.report(daily_update, stale=result["stale"])

    def parse_date(self, value):
        if not value:
            return timezone.localdate()
        try:
            day = date_type.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--date must be a date written YYYY-MM-DD, not {value!r}.") from None
        if day > timezone.localdate():
            raise CommandError(f"--date {day} is in the future; a daily update covers a day that has begun.")
        return day

    def dry_run(self, day):
        plan = services.daily_update_plan(date=day)
        self.stdout.write(
            f"Dry run for {day}: window {plan.window_start:%Y-%m-%d %H:%M} to {plan.window_end:%Y-%m-%d %H:%M}, "
            f"{len(plan.articles)} article{pluralize(len(plan.articles))}, {plan.audience} active "
            f"subscriber{pluralize(plan.audience)}. Nothing was changed."
        )
        for article in plan.articles:
            self.stdout.write(f"  {article.publish_at:%Y-%m-%d %H:%M}  {article.title}")

    def report(self, daily_update, *, stale):
        daily_update.refresh_from_db()
        counts = {status: daily_update.deliveries.filter(status=status).count() for status in Delivery.Status.values}
        summary = ", ".join(f"{status} {count}" for status, count in counts.items() if count)
        self.stdout.write(f"Daily update {daily_update.date} is {daily_update.status}: {summary or 'no deliveries'}.")
        if stale:
            self.stderr.write(
                f"{stale} deliver{pluralize(stale, 'y was,ies were')} interrupted while sending; "
                "marked unknown, not resent."
            )
        unknown = daily_update.deliveries.unknown().select_related("subscriber")
        if unknown:
            self.stderr.write(
                "Outcome unknown (check the mail log, then requeue from the admin if they never went): "
                + ", ".join(delivery.subscriber.email for delivery in unknown)
            )
