"""`manage.py send_daily_update [--date]`: build and send a day's update by hand, as the worker does."""

import re
from datetime import date as date_type

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize
from django.utils import timezone

from newsletter import daily_updates
from newsletter.models import DailyUpdate, Delivery


class Command(BaseCommand):
    help = (
        "Build the day's daily update from the articles published since the previous one, fix its "
        "audience and queue the sending, now, without the review window `manage.py worker` keeps. "
        "Safe to run again: nobody is mailed twice for a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to send, YYYY-MM-DD (default: today).")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent; change nothing.")

    def handle(self, *args, date=None, dry_run=False, **options):
        day = self.parse_date(date)
        if dry_run:
            return self.dry_run(day)
        run = daily_updates.daily_update_run(date=day)
        if run.daily_update is None:
            self.stdout.write(
                f"No new articles between {run.plan.window_start:%Y-%m-%d %H:%M} and "
                f"{run.plan.window_end:%Y-%m-%d %H:%M}; no daily update for {day}."
            )
            self.report_stale(run.interrupted)
            return
        articles = run.daily_update.entries.count()
        audience = run.daily_update.deliveries.count()
        verb = "Built" if run.created else "Found existing"
        self.stdout.write(
            f"{verb} daily update for {day}: {articles} article{pluralize(articles)}, "
            f"{audience} recipient{pluralize(audience)}."
        )
        self.stdout.write(
            f"Queued {run.queued} deliver{pluralize(run.queued, 'y,ies')} "
            f"in {run.batches} batch{pluralize(run.batches, 'es')}."
        )
        self.report(run.daily_update, stale=run.interrupted)

    def parse_date(self, value):
        if not value:
            return timezone.localdate()
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError(value)
            day = date_type.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--date must be a date written YYYY-MM-DD, not {value!r}.") from None
        if day > timezone.localdate():
            raise CommandError(f"--date {day} is in the future; a daily update covers a day that has begun.")
        return day

    def dry_run(self, day):
        existing = DailyUpdate.objects.filter(date=day).first()
        if existing:
            pending = existing.deliveries.pending().count()
            status = existing.get_status_display().lower()
            self.stdout.write(
                f"Dry run for {day}: the daily update exists already ({status}); {pending} pending "
                f"deliver{pluralize(pending, 'y,ies')} would be queued. Nothing was changed."
            )
            return
        plan = daily_updates.daily_update_plan(date=day)
        self.stdout.write(
            f"Dry run for {day}: window {plan.window_start:%Y-%m-%d %H:%M} to "
            f"{plan.window_end:%Y-%m-%d %H:%M}, {len(plan.articles)} article{pluralize(len(plan.articles))}, "
            f"{plan.audience} active subscriber{pluralize(plan.audience)}. Nothing was changed."
        )
        for article in plan.articles:
            self.stdout.write(f"  {article.publish_at:%Y-%m-%d %H:%M}  {article.title}")

    def report(self, daily_update, *, stale):
        counts = {
            status: daily_update.deliveries.filter(status=status).count() for status in Delivery.Status.values
        }
        summary = ", ".join(f"{status} {count}" for status, count in counts.items() if count)
        self.stdout.write(
            f"Daily update {daily_update.date} is {daily_update.status}: {summary or 'no deliveries'}."
        )
        self.report_stale(stale)
        unknown = daily_update.deliveries.unknown().exclude(pk__in=[row.pk for row in stale])
        if unknown:
            self.stderr.write(
                "Outcome still unknown (check the mail log, then requeue from the admin if they never went): "
                + ", ".join(f"delivery {row.pk} (subscriber {row.subscriber_id})" for row in unknown)
            )

    def report_stale(self, stale):
        if not stale:
            return
        self.stderr.write(
            f"{len(stale)} deliver{pluralize(len(stale), 'y was,ies were')} interrupted while sending; "
            "marked unknown, not resent. Check the mail log, then requeue from the admin any that "
            "never went: "
            + ", ".join(
                f"delivery {row.pk} (subscriber {row.subscriber_id}, {row.daily_update.date})"
                for row in stale
            )
        )
