"""The tracker's records: measures on minerals, their dated events, each source's account of an
event, the periods the status rule derives from the events, and the history of changes to a record.

`MeasureQuerySet.published()` is the one definition of what readers may see; `in_force_on(date)` and
`with_state_on(date, state)` read the periods tracker.status derives, so SQL and
`Measure.status_on(date)` always agree.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from articles.models import Article, Country, Mineral, Source
from core import slugs
from core.sanitizer import clean_article_html
from tracker import dates
from tracker.status import Basis, EventKind, Period, State, status_on


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class MeasureQuerySet(models.QuerySet):
    def published(self):
        """The one definition of public: a published measure. Nothing else shows anywhere public."""
        return self.filter(status=PublicationStatus.PUBLISHED)

    def with_state_on(self, day, *states):
        """Measures whose status on `day` is one of `states`."""
        # An uncorrelated IN: both databases read the matching periods once through their (state, start,
        # end) index, where a correlated EXISTS per measure was planned badly on PostgreSQL.
        periods = MeasurePeriod.objects.filter(state__in=states).covering(day)
        return self.filter(pk__in=periods.values("measure_id"))

    def in_force_on(self, day):
        """Measures in force on `day` (not announced only, suspended, lifted or expired)."""
        return self.with_state_on(day, State.IN_FORCE)

    def about_mineral(self, mineral):
        return self.filter(pk__in=Measure.minerals.through.objects.filter(mineral=mineral).values("measure"))

    def about_country(self, country):
        """Measures a country takes, or that name it among the countries affected."""
        affected = Measure.affected_countries.through.objects.filter(country=country).values("measure")
        return self.filter(Q(implementing_country=country) | Q(pk__in=affected))

    def for_listing(self):
        """What a row of the tracker needs, in a fixed number of queries."""
        return self.select_related("implementing_country").prefetch_related("minerals", "periods")


class Measure(models.Model):
    class Kind(models.TextChoices):
        EXPORT_BAN = "export_ban", "Export ban"
        EXPORT_LICENSING = "export_licensing", "Export licensing"
        EXPORT_QUOTA = "export_quota", "Export quota"
        EXPORT_TAX = "export_tax", "Export tax"
        MINIMUM_EXPORT_PRICE = "minimum_export_price", "Minimum export price"
        IMPORT_TARIFF = "import_tariff", "Import tariff"
        PRICE_FLOOR = "price_floor", "Price floor"
        STOCKPILE = "stockpile", "Stockpile"
        INVESTMENT_SCREENING = "investment_screening", "Investment screening"
        TECHNOLOGY_EXPORT_CONTROL = "technology_export_control", "Technology export control"
        PARTNERSHIP = "partnership", "Partnership or action plan"
        CRITICAL_MINERALS_LIST = "critical_minerals_list", "Critical-minerals list"
        SUBSIDY = "subsidy", "Subsidy or finance"
        OTHER = "other", "Other"

    class Direction(models.TextChoices):
        RESTRICTIVE = "restrictive", "Restrictive"
        LIBERALISING = "liberalising", "Liberalising"
        COOPERATIVE = "cooperative", "Cooperative"

    Status = PublicationStatus

    title = models.CharField(max_length=200)
    slug = slugs.SlugField(max_length=200, unique=True, help_text="The last part of the measure's address.")
    summary = models.TextField(
        blank=True, help_text="What the measure does. Cleaned on save, as article bodies are."
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    direction = models.CharField(max_length=16, choices=Direction.choices)
    implementing_country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures_taken",
        help_text="Who takes the measure. Leave empty when the record does not say for certain.",
    )
    affected_countries = models.ManyToManyField(
        Country,
        blank=True,
        related_name="measures_affecting",
        help_text="Leave empty when the measure applies to every country.",
    )
    minerals = models.ManyToManyField(Mineral, blank=True, related_name="measures")
    instrument = models.CharField(
        max_length=255,
        blank=True,
        help_text="The official reference, for example “MOFCOM/GAC Announcement No. 70 [2025]”.",
    )
    official_url = models.URLField(blank=True, max_length=500, verbose_name="official text")
    official_source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
        help_text="The body in the source register that issued the official text.",
    )
    hs_codes = models.CharField(
        max_length=255,
        blank=True,
        verbose_name="HS codes",
        help_text="Comma-separated, for example 2805.30, 8112.92.",
    )
    status = models.CharField(
        max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        indexes = [
            models.Index(fields=["status", "kind"], name="tracker_measure_status_kind"),
            models.Index(fields=["status", "direction"], name="tracker_measure_status_dir"),
            models.Index(fields=["instrument"], name="tracker_measure_instrument"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.summary = clean_article_html(self.summary)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("tracker:measure", kwargs={"slug": self.slug})

    @property
    def is_public(self):
        return self.status == PublicationStatus.PUBLISHED

    @property
    def hs_code_list(self):
        return [code.strip() for code in self.hs_codes.split(",") if code.strip()]

    def stored_periods(self):
        """The derived periods, oldest first (prefetched with for_listing())."""
        return sorted(self.periods.all(), key=lambda period: period.start)

    def status_on(self, day):
        """The measure's MeasureStatus on `day` (a date in the site's zone), or None before its first
        published event."""
        return status_on([stored.as_period() for stored in self.stored_periods()], day)

    def status_today(self):
        return self.status_on(dates.today())


class MeasureEventQuerySet(models.QuerySet):
    def published(self):
        """Events readers may see: published, of a published measure."""
        return self.filter(status=PublicationStatus.PUBLISHED, measure__status=PublicationStatus.PUBLISHED)


class MeasureEvent(models.Model):
    Kind = EventKind
    Precision = dates.Precision
    Status = PublicationStatus

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    date = models.DateField(
        help_text="When it takes effect (or was announced). For a month or a year, any day in it."
    )
    date_precision = models.CharField(
        max_length=5,
        choices=dates.Precision.choices,
        default=dates.Precision.DAY,
        help_text="How exactly the date is known: a year is shown as “2025”, never as 1 January.",
    )
    until = models.DateField(
        null=True,
        blank=True,
        help_text="The last day a suspension, reprieve, extension or temporary measure holds.",
    )
    summary = models.TextField(blank=True, help_text="Plain text: what changed.")
    articles = models.ManyToManyField(Article, blank=True, related_name="measure_events")
    status = models.CharField(
        max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeasureEventQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        indexes = [
            models.Index(fields=["measure", "date"], name="tracker_event_measure_date"),
            models.Index(fields=["status", "updated_at"], name="tracker_event_status_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("date")),
                name="tracker_event_until_after_date",
                violation_error_message="The end date cannot come before the event's date.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date_display}: {self.measure}"

    def save(self, *args, **kwargs):
        # A month or year is stored as its first day, so ordering and "takes effect" need no special case.
        self.date = dates.start_of(self.date, self.date_precision)
        super().save(*args, **kwargs)

    def clean(self):
        if self.date and self.until and self.until < dates.start_of(self.date, self.date_precision):
            raise ValidationError(
                {"until": "The end date cannot come before the event's date."}, code="until_before_date"
            )
        if self.until and self.kind in (EventKind.LIFTED, EventKind.EXPIRED):
            raise ValidationError(
                {"until": "A lifted or expired measure has no end date ahead."}, code="until_on_end"
            )

    @property
    def date_display(self):
        return dates.display(self.date, self.date_precision)

    @property
    def date_iso(self):
        return dates.iso(self.date, self.date_precision)

    @property
    def precise_date(self):
        return dates.PreciseDate(self.date, self.date_precision)

    def get_absolute_url(self):
        return f"{self.measure.get_absolute_url()}#event-{self.pk}"


class EventAccount(models.Model):
    """What one source says of an event, kept beside the others so conflicting accounts show side by side."""

    event = models.ForeignKey(MeasureEvent, on_delete=models.CASCADE, related_name="accounts")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="event_accounts")
    url = models.URLField(blank=True, max_length=500, verbose_name="link")
    says = models.TextField(help_text="What the source says, in its words or a close paraphrase.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "source's account"
        verbose_name_plural = "sources' accounts"

    def __str__(self):
        return f"{self.source}: {self.says[:60]}"


class MeasurePeriodQuerySet(models.QuerySet):
    def covering(self, day):
        return self.filter(Q(end__isnull=True) | Q(end__gt=day), start__lte=day)


class MeasurePeriod(models.Model):
    """A stretch of a measure's life in one state, derived by tracker.status.timeline() from its
    published events whenever they change (never edited by hand)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="periods")
    state = models.CharField(max_length=10, choices=State.choices)
    start = models.DateField()
    start_precision = models.CharField(
        max_length=5, choices=dates.Precision.choices, default=dates.Precision.DAY
    )
    end = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    basis = models.CharField(max_length=10, choices=Basis.choices, default=Basis.REPORTED)
    event = models.ForeignKey(
        MeasureEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lapsed_until = models.DateField(null=True, blank=True)

    objects = MeasurePeriodQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "start"]
        indexes = [
            models.Index(fields=["state", "start", "end"], name="tracker_period_state_dates"),
            models.Index(fields=["measure", "start"], name="tracker_period_measure_start"),
            models.Index(fields=["until"], name="tracker_period_until"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["measure", "start"], name="tracker_period_one_per_start"),
        ]

    def as_period(self):
        return Period(
            state=self.state,
            start=self.start,
            start_precision=self.start_precision,
            end=self.end,
            until=self.until,
            basis=self.basis,
            event_id=self.event_id,
            lapsed_until=self.lapsed_until,
        )


class MeasureChange(models.Model):
    """One saved change to a measure or its events: who, when, what. Changes made while the measure
    is published show on its page as "Changes to this record"."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, help_text="{field: [before, after]}")
    public = models.BooleanField(
        default=False, help_text="Made while the measure was published, to what readers see."
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["measure", "public", "changed_at"], name="tracker_change_public")]

    def __str__(self):
        return f"{self.measure}: {self.summary}"
