"""`manage.py seed_demo_newsletter`: demo subscribers and a past daily update for `make run`."""

from datetime import datetime, time, timedelta

from django.core.management.base import BaseCommand
from django.template.defaultfilters import pluralize
from django.utils import timezone

from articles.models import Article
from newsletter.daily_updates import daily_update_build
from newsletter.models import DailyUpdate, Subscriber

DEMO_READER = "reader@example.org"


class Command(BaseCommand):
    help = (
        f"Make sure the demo has one confirmed subscriber ({DEMO_READER}), so the worker has someone to "
        "send the daily update to, and one past daily update in the archive, so readers can see what an "
        "issue looks like. Safe to run again."
    )

    def handle(self, *args, **options):
        _reader, created = Subscriber.objects.get_or_create(
            email=DEMO_READER,
            defaults={"status": Subscriber.Status.ACTIVE, "confirmed_at": timezone.now()},
        )
        if created:
            self.stdout.write(f"Added the demo subscriber {DEMO_READER}.")
        self._past_update()

    def _past_update(self):
        """The update of the last day before today with a demo article, recorded as sent at that
        day's end. It went out before the demo began, so it is built through the one build path but
        no mail is sent for it; today's update, which `make run` sends, starts where it ends."""
        if DailyUpdate.objects.sent().exists():
            return
        today = timezone.localdate()
        day_start = timezone.make_aware(datetime.combine(today, time.min))
        last = Article.objects.published().filter(publish_at__lt=day_start).order_by("-publish_at").first()
        if last is None:
            return
        date = timezone.localtime(last.publish_at).date()
        daily_update, _created = daily_update_build(date=date)
        if daily_update is None or daily_update.status != DailyUpdate.Status.DRAFT:
            return
        daily_update.status = DailyUpdate.Status.SENT
        daily_update.enqueued_at = daily_update.sent_at = min(
            timezone.make_aware(datetime.combine(date + timedelta(days=1), time.min)) - timedelta(minutes=1),
            timezone.now(),
        )
        daily_update.save()
        articles = daily_update.entries.count()
        self.stdout.write(
            f"Added a past daily update ({daily_update.subject}, {articles} article{pluralize(articles)}) "
            "to the archive."
        )
