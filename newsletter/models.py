"""Subscribers, daily updates, their deliveries and the mails subscribers are sent."""

from datetime import timedelta

from django.conf import settings
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
        Mineral,
        blank=True,
        related_name="subscribers",
        help_text="Only articles on these minerals (or the countries below). None: every article.",
    )
    countries = models.ManyToManyField(
        Country,
        blank=True,
        related_name="subscribers",
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
    signup_source = models.CharField(
        max_length=300, blank=True, help_text="The page the reader signed up from."
    )

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


class DailyUpdateQuerySet(models.QuerySet):
    def sent(self):
        return self.filter(status=DailyUpdate.Status.SENT)

    def covering(self):
        """Updates whose window counts: every one but a draft that never went and was superseded."""
        return self.exclude(status=DailyUpdate.Status.MISSED)


class DailyUpdate(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        MISSED = "missed", "Not sent (a later update covers its articles)"

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
    held = models.BooleanField(
        default=False, help_text="A held draft is not sent at the send time until an editor releases it."
    )
    articles_edited = models.BooleanField(
        default=False,
        help_text="Once an editor changes the list, articles published later no longer join it.",
    )
    mail_unreachable_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set while the mail server refuses connections; deliveries keep retrying.",
    )

    objects = DailyUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        get_latest_by = "date"

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("newsletter:archive-detail", kwargs={"date": self.date.isoformat()})

    @property
    def heading(self):
        """The subject as a heading under the site's masthead: without the site's name in front of it
        ("Daily update, 29 November 2026"), so a mail or page names the site once at the top."""
        rest = self.subject
        if rest.casefold().startswith(settings.SITE_NAME.casefold()):
            rest = rest[len(settings.SITE_NAME) :].lstrip(" :-–—·,")
        return rest[:1].upper() + rest[1:] if rest else self.subject


class DailyUpdateArticle(models.Model):
    daily_update = models.ForeignKey(DailyUpdate, on_delete=models.CASCADE, related_name="entries")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="daily_update_entries")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["daily_update", "article"], name="newsletter_update_article_unique"
            ),
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

    def due(self, now):
        """Pending rows of updates being sent that no queued job is known to hold: never queued, due
        for their retry, or queued so long ago that the job must have been lost."""
        lost = now - timedelta(seconds=3 * settings.NEWSLETTER_LEASE_SECONDS)
        return (
            self.pending()
            .filter(daily_update__status=DailyUpdate.Status.SENDING)
            .filter(
                models.Q(queued_at__isnull=True, next_attempt_at__isnull=True)
                | models.Q(queued_at__isnull=True, next_attempt_at__lte=now)
                | models.Q(queued_at__lt=lost)
            )
        )


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
    # The batch holding a `sending` row; refreshed claimed_at is that batch's heartbeat.
    claim_token = models.CharField(max_length=32, blank=True)
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="When a job for this row was last queued."
    )
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="A retry waits until then.")

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


class SignupRequest(models.Model):
    """A signup as the reader sent it, stored in the request's own transaction before the answer,
    the same way for every address; a task turns it into a subscriber and deletes it."""

    email = models.EmailField(max_length=254)
    mineral_ids = models.JSONField(default=list, blank=True)
    country_ids = models.JSONField(default=list, blank=True)
    ip_hash = models.CharField(max_length=32, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Signup request {self.pk}"


class SubscriberMailQuerySet(models.QuerySet):
    def unsent(self):
        """Mails a reader was promised that have not gone yet: waiting, retrying or given up."""
        return self.exclude(status=SubscriberMail.Status.SENT)

    def gone_wrong(self):
        """Unsent mails that failed at least once: given up, refused, or waiting for the mail server (an
        outage spends no attempt, so its error says so rather than its count)."""
        return self.unsent().filter(
            models.Q(status=SubscriberMail.Status.FAILED) | models.Q(attempts__gt=0) | ~models.Q(error="")
        )


class SubscriberMail(models.Model):
    """One confirmation, welcome or already-subscribed mail, kept until it has gone so a refusal
    by the mail server is retried rather than lost."""

    class Kind(models.TextChoices):
        CONFIRM = "confirm", "Confirmation"
        ALREADY_SUBSCRIBED = "already_subscribed", "Already subscribed"
        WELCOME = "welcome", "Welcome"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to go"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Never went"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="mails")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    objects = SubscriberMailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} mail to subscriber {self.subscriber_id}"


class WorkerHeartbeat(models.Model):
    """One row per `manage.py worker` process: when its schedule last ran, for the admin and health checks."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_tick_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-last_tick_at"]

    def __str__(self):
        return f"{self.hostname}:{self.pid}"
