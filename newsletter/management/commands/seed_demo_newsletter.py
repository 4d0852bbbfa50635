from django.core.management.base import BaseCommand
from django.utils import timezone

from newsletter.models import Subscriber

DEMO_READER = "reader@example.org"


class Command(BaseCommand):
    help = (
        f"Make sure the demo has one confirmed subscriber ({DEMO_READER}), so the worker has someone to "
        "send the daily update to. Safe to run again."
    )

    def handle(self, *args, **options):
        _reader, created = Subscriber.objects.get_or_create(
            email=DEMO_READER, defaults={"status": Subscriber.Status.ACTIVE, "confirmed_at": timezone.now()},
        )
        if created:
            self.stdout.write(f"Added the demo subscriber {DEMO_READER}.")
