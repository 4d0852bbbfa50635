"""Readership's tables: the rollups editors read (per article and day, per article and hour over its first
48 hours, per referring site and day) and the buffers the flush job empties into them.

No table holds an identifier of a reader. The database store's hashed readers (`DailyReader`) are salted
with the day's salt (`DailySalt`), and both are deleted once their day is over and counted; without the
salt a hash cannot be matched to an address again.
"""

from django.db import models

from articles.models import Article


class ArticleReads(models.Model):
    """One article's reads on one day (in TIME_ZONE): page views, estimated unique readers, top referring
    sites."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="daily_reads")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    readers = models.PositiveIntegerField(default=0, help_text="Unique readers, estimated.")
    referrers = models.JSONField(
        default=dict, blank=True, help_text="Views by referring site (host name), the top few only."
    )

    class Meta:
        verbose_name = "article's reads on a day"
        verbose_name_plural = "articles' reads by day"
        ordering = ["-day", "-views"]
        constraints = [models.UniqueConstraint(fields=["article", "day"], name="readership_one_row_per_day")]
        indexes = [models.Index(fields=["day", "article"], name="readership_day_article")]
        permissions = [("view_readership", "Can see the readership page")]

    def __str__(self):
        return f"{self.article_id} on {self.day}: {self.views} views"


class HourlyReads(models.Model):
    """An article's views hour by hour over its first 48 hours, for the chart on its admin page."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="hourly_reads")
    hour = models.DateTimeField(help_text="The start of the hour.")
    views = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["hour"]
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="readership_one_row_per_hour")
        ]


class ReferrerReads(models.Model):
    """Views that came from one referring site on one day, over every article."""

    day = models.DateField()
    host = models.CharField(
        max_length=100, blank=True, help_text="Empty: no referrer (typed, bookmarks, apps)."
    )
    views = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "-views"]
        constraints = [
            models.UniqueConstraint(fields=["day", "host"], name="readership_one_row_per_site_day")
        ]


class PendingRead(models.Model):
    """One counted view waiting for the flush job (the store without Redis)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    hour = models.DateTimeField()
    referrer = models.CharField(max_length=100, blank=True)
    # The flush that took this row; empty while it waits. A flush claims, counts and deletes in one
    # transaction, so a flush that fails half-way leaves every row as it was.
    claim = models.CharField(max_length=32, blank=True, db_index=True)


class DailyReader(models.Model):
    """A reader of an article on a day, as a hash salted with that day's salt (the store without Redis)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    digest = models.CharField(max_length=16)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "day", "digest"], name="readership_one_reader_a_day")
        ]


class DailySalt(models.Model):
    """The day's salt when there is no shared Redis to keep it in; deleted as soon as its day is over."""

    day = models.DateField(unique=True)
    value = models.CharField(max_length=64)


class AppliedBatch(models.Model):
    """A batch of counts taken from Redis and written into the rollups, so that a flush which died after
    its commit but before deleting the batch from Redis never counts it again."""

    batch = models.CharField(max_length=32, unique=True)
    applied_at = models.DateTimeField(auto_now_add=True)


class FlushLock(models.Model):
    """One row, locked by each flush for the length of its transaction, so flushes run one at a time."""

    name = models.CharField(max_length=20, unique=True)


class NewsletterClicks(models.Model):
    """Clicks on one article's link in one daily update: by readers, and apart, by link scanners (mail
    filters that open every link before the reader sees the message). Never per subscriber."""

    update_id = models.PositiveBigIntegerField(help_text="The daily update's id (kept without a link to it).")
    update_date = models.DateField()
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="newsletter_clicks")
    clicks = models.PositiveIntegerField(default=0)
    scanner_clicks = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "newsletter clicks"
        ordering = ["-update_date", "-clicks"]
        constraints = [
            models.UniqueConstraint(fields=["update_id", "article"], name="readership_one_row_per_link")
        ]
