from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from articles.models import Article, Country, Mineral


class SubscriberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Subscriber.Status.ACTIVE)

    def pending(self):
        return self.filter(status=Subscriber.Status.PENDING)

    def with_email(self, email):
        """Match an address the way the unique constraint does: case-insensitively."""
        return self.alias(email_lower=Lower("email")).filter(email_lower=email.strip().lower())


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        ACTIVE = "active", "Active"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    email = models.EmailField(max_length=254)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.PENDING, db_index=True)
    minerals = models.ManyToManyField(
        Mineral, blank=True, related_name="subscribers",
        help_text="Only articles on these minerals (or the countries below). None: every article.",
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="subscribers",
        help_text="Only articles on these countries (or the minerals above). None: every article.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    last_confirmation_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="Confirmation mail goes out at most once a day per address."
    )
    signup_ip_hash = models.CharField(
        max_length=32, blank=True, help_text="A keyed hash of the signup address, never the address itself."
    )
    signup_user_agent = models.CharField(max_length=300, blank=True)
    signup_source = models.CharField(max_length=300, blank=True, help_text="The page the reader signed up from.")

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="newsletter_subscriber_email_ci_unique"),
        ]

    def __str__(self):
        return self.email

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    def topic_key(self):
        """Subscribers with the same key get the same digest; reads prefetched topics when present."""
        return (
            frozenset(mineral.pk for mineral in self.minerals.all()),
            frozenset(country.pk for country in self.countries.all()),
        )


class DailyUpdateQuerySet(models.QuerySet):
    def sent(self):
        return self.filter(status=DailyUpdate.Status.SENT)


class DailyUpdate(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    date = models.DateField(unique=True)
    subject = models.CharField(max_length=200)
    intro = models.TextField(blank=True, help_text="Plain text shown above the list of articles.")
    articles = models.ManyToManyField(Article, through="DailyUpdateArticle", related_name="daily_updates")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    # The publishing window this update covers; the next update starts where this one ends.
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = DailyUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        get_latest_by = "date"

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("newsletter:archive-detail", kwargs={"date": self.date.isoformat()})


class DailyUpdateArticle(models.Model):
    daily_update = models.ForeignKey(DailyUpdate, on_delete=models.CASCADE, related_name="entries")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="daily_update_entries")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["daily_update", "article"], name="newsletter_update_article_unique"),
        ]

    def __str__(self):
        return f"{self.article} in {self.daily_update}"


class DeliveryQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Delivery.Status.PENDING)

    def sending(self):
        return self.filter(status=Delivery.Status.SENDING)

    def unknown(self):
        return self.filter(status=Delivery.Status.UNKNOWN)

    def unfinished(self):
        """Rows a worker still has to deal with."""
        return self.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING])


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"
        UNKNOWN = "unknown", "Unknown (interrupted)"

    daily_update = models.ForeignKey(DailyUpdate, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    message_id = models.CharField(max_length=200, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["daily_update", "id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["daily_update", "subscriber"], name="newsletter_delivery_unique"),
        ]
        indexes = [models.Index(fields=["daily_update", "status"], name="newsletter_delivery_status_idx")]

    def __str__(self):
        return f"{self.daily_update.date} to {self.subscriber}"
