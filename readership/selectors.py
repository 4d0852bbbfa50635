"""Reads of the rollups: "Most read" for readers, and the figures of the editors' readership page."""

from datetime import timedelta

from django.db.models import Case, F, FloatField, Sum, Value, When
from django.utils import timezone

from articles.models import Article
from readership.models import ArticleReads


def most_read(*, limit, now=None):
    """The live articles read most over the last 24 hours, each with `recent_views`.

    Rollups are daily, so the last 24 hours are today's views and the share of yesterday's that fell
    in the hours since this time yesterday, taken as spread evenly over yesterday.
    """
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    share_of_yesterday = max(0.0, 1 - (now - midnight).total_seconds() / 86400)
    ranked = list(
        ArticleReads.objects.filter(
            day__in=[today - timedelta(days=1), today], article__in=Article.objects.published()
        )
        .values("article_id")
        .annotate(
            recent=Sum(
                Case(
                    When(day=today, then=Value(1.0)),
                    default=Value(share_of_yesterday),
                    output_field=FloatField(),
                )
                * F("views"),
                output_field=FloatField(),
            )
        )
        .filter(recent__gte=1)
        .order_by("-recent", "article_id")[:limit]
    )
    articles = Article.objects.select_related("section").in_bulk([row["article_id"] for row in ranked])
    result = []
    for row in ranked:
        article = articles[row["article_id"]]
        article.recent_views = round(row["recent"])
        result.append(article)
    return result
