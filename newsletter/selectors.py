"""Reads the newsletter makes: which articles a daily update or a subscriber gets, and how a send stands."""

from collections import defaultdict

from django.db.models import Count, Max, Min

from articles.models import Article
from newsletter.models import DailyUpdate, Delivery, Subscriber


def update_articles(daily_update, *, live_only=True):
    """The update's articles in the editors' order; live ones only, unless previewing."""
    articles = Article.objects.published() if live_only else Article.objects.all()
    return (
        articles.filter(daily_update_entries__daily_update=daily_update)
        .order_by("daily_update_entries__position", "daily_update_entries__id")
        .select_related("section")
    )


def articles_for_topics(articles, topic_key):
    """Keep the articles matching any chosen mineral or country; no topics chosen keeps them all.

    `articles` must have minerals and countries prefetched; the match is made in memory so one
    query serves every topic set in a batch.
    """
    mineral_ids, country_ids = topic_key
    if not mineral_ids and not country_ids:
        return list(articles)
    return [
        article
        for article in articles
        if {tag.pk for tag in article.minerals.all()} & mineral_ids
        or {tag.pk for tag in article.countries.all()} & country_ids
    ]


def subscriber_topic_keys(subscriber_ids):
    """Each subscriber's topic set (mineral ids, country ids) in two small queries, without building a
    model per tag: subscribers with equal keys get the same digest."""
    minerals, countries = defaultdict(set), defaultdict(set)
    for subscriber_id, mineral_id in Subscriber.minerals.through.objects.filter(
        subscriber_id__in=subscriber_ids
    ).values_list("subscriber_id", "mineral_id"):
        minerals[subscriber_id].add(mineral_id)
    for subscriber_id, country_id in Subscriber.countries.through.objects.filter(
        subscriber_id__in=subscriber_ids
    ).values_list("subscriber_id", "country_id"):
        countries[subscriber_id].add(country_id)
    return {pk: (frozenset(minerals[pk]), frozenset(countries[pk])) for pk in subscriber_ids}


def window_start_after(date):
    """Where the update for `date` starts: the end of the latest earlier update's window, if any; a
    draft that never went (missed) does not count, so its articles fall to this update."""
    earlier = DailyUpdate.objects.filter(date__lt=date)
    end = earlier.covering().aggregate(end=Max("window_end"))["end"]
    if end is None:  # only updates that never went: start where the first of them did
        end = earlier.filter(status=DailyUpdate.Status.MISSED).aggregate(start=Min("window_start"))["start"]
    return end


def window_end_before(date):
    """Where the update for `date` must stop: the start of the earliest later update's window, if
    one exists (an update built for a past day must not repeat what a later one already sent)."""
    return DailyUpdate.objects.covering().filter(date__gt=date).aggregate(start=Min("window_start"))["start"]


def articles_published_between(start, end):
    return (
        Article.objects.published()
        .filter(publish_at__gt=start, publish_at__lte=end)
        .order_by("-is_featured", "-publish_at", "-id")
    )


def delivery_counts(daily_update):
    """How many of the update's deliveries are in each status, every status present."""
    counts = dict.fromkeys(Delivery.Status.values, 0)
    counts.update(daily_update.deliveries.order_by().values_list("status").annotate(n=Count("pk")))
    return counts
