"""Give the demo's articles 30 days of readership figures, so `make run` shows a readership page, "Most
read" and each article's first 48 hours (run after seed_demo; safe to run again: it adds nothing once
figures exist)."""

import random
from collections import Counter
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from readership.models import ArticleReads, HourlyReads, ReferrerReads
from readership.rollups import top_referrers

DAYS = 30
# Referring sites of the demo, on the reserved example domains; "" is a reader with no referrer.
SITES = [
    "",
    "",
    "",
    "search.example",
    "search.example",
    "news-digest.example",
    "social.example",
    "forum.example",
]


def daily_views(popularity, age_days):
    """A story is read most on its first day and less each day after."""
    return int(popularity / (1 + age_days) ** 1.3)


class Command(BaseCommand):
    help = "Add 30 days of demo readership figures for the demo's articles (after seed_demo)."

    def handle(self, *args, **options):
        articles = list(Article.objects.published().order_by("publish_at"))
        if not articles:
            raise CommandError("No live articles: run `manage.py seed_demo` first.")
        if ArticleReads.objects.exists():
            self.stdout.write("Demo readership: figures already present.")
            return
        now = timezone.now()
        today = timezone.localdate(now)
        share_of_today = (
            now - now.replace(hour=0, minute=0, second=0, microsecond=0)
        ).total_seconds() / 86400
        rows, hours, sites = [], [], Counter()
        for article in articles:
            rng = random.Random(article.slug)
            popularity = rng.randint(200, 3000) * (3 if article.is_featured else 1)
            published = timezone.localdate(article.publish_at)
            for offset in range(DAYS):
                day = today - timedelta(days=offset)
                if day < published:
                    continue
                views = daily_views(popularity, (day - published).days) + rng.randint(0, 12)
                if day == today:
                    views = int(views * share_of_today)
                if not views:
                    continue
                came_from = Counter(rng.choice(SITES) for _ in range(min(views, 200)))
                scale = views / sum(came_from.values())
                referrers = {host: max(1, round(count * scale)) for host, count in came_from.items()}
                sites.update({(day, host): count for host, count in referrers.items()})
                rows.append(
                    ArticleReads(
                        article=article,
                        day=day,
                        views=views,
                        readers=int(views * rng.uniform(0.6, 0.85)),
                        referrers=top_referrers(referrers),
                    )
                )
            start = article.publish_at.replace(minute=0, second=0, microsecond=0)
            for hour in range(48):
                moment = start + timedelta(hours=hour)
                if moment > now:
                    break
                views = int(popularity / 20 / (1 + hour / 3) * rng.uniform(0.5, 1.5))
                if views:
                    hours.append(HourlyReads(article=article, hour=moment, views=views))
        with transaction.atomic():
            ArticleReads.objects.bulk_create(rows, batch_size=500)
            HourlyReads.objects.bulk_create(hours, batch_size=500)
            ReferrerReads.objects.bulk_create(
                [ReferrerReads(day=day, host=host, views=count) for (day, host), count in sites.items()],
                batch_size=500,
            )
        self.stdout.write(f"Demo readership: {len(rows)} days of reads for {len(articles)} articles.")
