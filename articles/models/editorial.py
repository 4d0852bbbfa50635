"""The editorial record: revisions of articles (saved and proposed), corrections, and the dated
ownership history of sources. Written through articles.services."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone

from articles.models.article import Article
from articles.models.sources import Source
from core.formats import short_date


class ArticleRevisionQuerySet(models.QuerySet):
    def saved(self):
        """Revisions that went into the article."""
        return self.filter(state=ArticleRevision.State.SAVED)

    def proposals(self):
        """Changes proposed to a live article, whatever became of them."""
        return self.exclude(state=ArticleRevision.State.SAVED)

    def pending(self):
        """Proposed changes waiting for an editor."""
        return self.filter(state=ArticleRevision.State.PROPOSED)


class ArticleRevision(models.Model):
    """One state of an article: every editorial field, its tags, authors, citations and corrections,
    as JSON (see articles.revisions.snapshots). A save keeps a `saved` revision; a Writers-group change to a
    published article is kept as a `proposed` one and leaves the article as it was until an editor
    approves it (which saves a new revision) or sends it back."""

    class State(models.TextChoices):
        SAVED = "saved", "Saved"
        PROPOSED = "proposed", "Waiting for review"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Sent back"
        WITHDRAWN = "withdrawn", "Withdrawn"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(
        help_text="Counts the article's revisions, proposals included, from 1."
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.SAVED)
    snapshot = models.JSONField()
    changed = models.JSONField(
        default=list, blank=True, help_text="Names of the fields that differ from the revision it followed."
    )
    summary = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty for the system: a command, an import, the shell.",
    )
    base = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For a proposal: the saved revision it started from.",
    )
    origin = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For a saved revision: the revision it restored, or the proposal it approved.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(
        blank=True, help_text="The editor's note to the writer when sending a change back."
    )

    objects = ArticleRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_revision_number_unique"),
        ]
        indexes = [models.Index(fields=["state", "-created_at"], name="article_revision_state_idx")]

    def __str__(self):
        return f"{self.article} · revision {self.number}"

    @property
    def is_pending(self):
        return self.state == self.State.PROPOSED

    @property
    def is_proposal(self):
        return self.state != self.State.SAVED


class ProposedChange(ArticleRevision):
    """The editors' queue: proposed changes to live articles (ArticleRevision rows that are proposals)."""

    class Meta:
        proxy = True
        ordering = ["-created_at"]
        verbose_name = "proposed change"


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """Corrections readers can see: those on live articles."""
        return self.filter(article__in=Article.objects.published())

    def newest_first(self):
        return self.order_by("-date", "-created_at", "-id")

    def material_between(self, start, end):
        """Corrections an editor marked material after `start` and up to `end`, on live articles: what
        the daily update covering that window mentions."""
        return (
            self.public()
            .filter(material=True, marked_material_at__gt=start, marked_material_at__lte=end)
            .select_related("article")
            .order_by("marked_material_at", "id")
        )


class Correction(models.Model):
    """A correction, clarification or update attached to a published article, shown on it, on
    /corrections/ and in its JSON-LD. Written through articles.services.correction_save."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"

    # Where the article shows each kind: a fixed error and a later development come before the
    # text readers are about to trust; a clarification adds context after it.
    PLACEMENT = {Kind.CORRECTION: "top", Kind.UPDATE: "top", Kind.CLARIFICATION: "bottom"}

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(
        max_length=14,
        choices=Kind.choices,
        default=Kind.CORRECTION,
        help_text="Corrections and updates show at the top of the article, clarifications at the bottom.",
    )
    date = models.DateField(default=timezone.localdate, help_text="The date printed with it.")
    text = models.TextField(
        help_text="Plain text, e.g. 'An earlier version of this article misstated the export quota.'"
    )
    material = models.BooleanField(
        default=False,
        help_text="A material correction is mentioned in the next daily update to subscribers.",
    )
    # When the material flag was last set; the daily update covering that moment mentions it.
    marked_material_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at", "-id"]
        indexes = [models.Index(fields=["material", "marked_material_at"], name="correction_material_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.article}, {short_date(self.date)}"

    def clean(self):
        if self.article_id is not None and self.article.status != Article.Status.PUBLISHED:
            raise ValidationError(
                "Corrections go on published articles; before publication, change the article itself.",
                code="not_published",
            )

    def save(self, *args, **kwargs):
        if not self.material:
            self.marked_material_at = None
        elif self.marked_material_at is None:
            self.marked_material_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#correction-{self.pk}"

    @property
    def placement(self):
        return self.PLACEMENT[self.kind]


class SourceOwnership(models.Model):
    """Who owned and controlled a source from a given date. Recorded by articles.signals whenever
    a source's owner or controller changes, by any path; editors may correct dates here."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="ownership_history")
    owner = models.CharField(max_length=200, blank=True)
    controlled_by = models.CharField(max_length=200, blank=True)
    since = models.DateField(
        null=True,
        blank=True,
        help_text="From when this owner and controller hold. Empty: before the register kept dates.",
    )
    note = models.CharField(
        max_length=300, blank=True, help_text="For example, the filing or report that shows it."
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = [F("since").desc(nulls_last=True), "-recorded_at", "-id"]
        verbose_name = "dated ownership"
        verbose_name_plural = "ownership history"

    def __str__(self):
        return f"{self.source}: {self.owner or 'undisclosed owner'} since {self.since or 'before records'}"
