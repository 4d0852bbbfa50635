"""The article, its citations of sources and its former addresses: what the one write path
(articles.services.article_save) writes and every page reads."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager

from articles.models.sources import UNSET, Disclaimer, Source
from articles.models.subjects import Author, Section, TaggedCountry, TaggedMineral, modified_at
from articles.provenance import provenance_warnings
from core import slugs
from core.images import validate_photo
from core.sanitizer import clean_article_html


def citations_prefetch():
    """The one prefetch of an article's citations: each with what its source's disclaimer and provenance
    need (country, default disclaimer). For a list already fetched: prefetch_related_objects(list, this)."""
    return models.Prefetch(
        "citations", queryset=Citation.objects.select_related("source__country", "source__default_disclaimer")
    )


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one definition of live: published, and due."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=timezone.now())

    def scheduled(self):
        return self.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())

    def about(self, subject):
        """Articles in a section, tagged with a mineral or country, citing a source, or by an author."""
        lookup = type(subject).article_lookup
        if lookup == Section.article_lookup:
            return self.filter(section=subject)
        # Tags, citations and bylines reach articles through many-to-many rows; a subquery keeps
        # one row per article without DISTINCT.
        return self.filter(pk__in=Article.objects.filter(**{lookup: subject}).values("pk"))

    def with_citations(self):
        """Articles with their citations in one more query (see citations_prefetch)."""
        return self.prefetch_related(citations_prefetch())

    def for_listing(self):
        """What an article card needs, fetched in a fixed number of queries."""
        return self.select_related("section").prefetch_related("authors")

    def recent(self, limit, *, exclude=None):
        """The newest `limit` articles, for short lists of headlines beside a page."""
        articles = self.select_related("section")
        if exclude is not None:
            articles = articles.exclude(pk=exclude.pk)
        return articles[:limit]

    def related_to(self, article, *, minerals, countries, limit):
        """Up to `limit` articles sharing the most of `minerals` and `countries` (the article's own,
        as already fetched) with `article`, newest first among equals: one query, however many tags."""
        mineral_ids = [mineral.pk for mineral in minerals]
        country_ids = [country.pk for country in countries]
        if not (mineral_ids or country_ids):
            return self.none()
        shared = Count("minerals", filter=Q(minerals__in=mineral_ids), distinct=True) + Count(
            "countries", filter=Q(countries__in=country_ids), distinct=True
        )
        return (
            self.filter(Q(minerals__in=mineral_ids) | Q(countries__in=country_ids))
            .exclude(pk=article.pk)
            .annotate(shared=shared)
            .select_related("section")
            .order_by("-shared", "-publish_at", "-pk")[:limit]
        )

    def with_modified_at(self):
        return self.annotate(modified=modified_at())


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = slugs.SlugField(max_length=200, unique=True, help_text="The last part of the article's address.")
    dek = models.CharField(
        max_length=300,
        blank=True,
        verbose_name="standfirst",
        help_text="One or two sentences under the headline; also the summary in feeds and link previews.",
    )
    highlights = models.TextField(
        blank=True, help_text="Key points, one per line. Shown as a list above the body."
    )
    body = models.TextField(
        blank=True, help_text="Cleaned on save: scripts, styles and unsafe links are removed."
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    authors = models.ManyToManyField(Author, blank=True, related_name="articles")
    hero_image = models.ImageField(
        upload_to="heroes/%Y/%m/",
        blank=True,
        validators=[validate_photo],
        help_text="A JPEG, PNG or WebP photo; smaller copies for each screen are made on save.",
    )
    # Recorded with the photo's renditions (articles.photos); empty until they exist.
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_alt = models.CharField(
        max_length=250, blank=True, help_text="Describe the photo for readers who cannot see it."
    )
    hero_caption = models.CharField(max_length=300, blank=True)
    hero_credit = models.CharField(
        max_length=150, blank=True, help_text="As printed, e.g. 'Photo: Ana Ruiz'."
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    publish_at = models.DateTimeField(
        default=timezone.now,
        verbose_name="publish at",
        help_text="A future time schedules the article; it goes live by itself then.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name="last saved")
    # Moved by the write path only (articles.services.article_save): see Article.modified_at.
    content_updated_at = models.DateTimeField(
        default=timezone.now,
        editable=False,
        verbose_name="updated for readers",
        help_text=(
            "Moves only when readers can see the change: headline, standfirst, highlights, body, hero photo, "
            "sources, or a correction. Featuring, comments and other toggles leave it alone."
        ),
    )
    minerals = TaggableManager(
        through=TaggedMineral, related_name="articles", blank=True, verbose_name="minerals"
    )
    countries = TaggableManager(
        through=TaggedCountry, related_name="articles", blank=True, verbose_name="countries"
    )
    sources = models.ManyToManyField(Source, through="Citation", related_name="articles", blank=True)
    disclaimer = models.ForeignKey(
        Disclaimer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text=(
            "Leave empty to use the lead source's default disclaimer, or else the site-wide default. "
            "The text an article is published with is kept with it."
        ),
    )
    # The disclaimer the article went out with, kept so that a later change to a source's owner,
    # or to a disclaimer's wording, does not silently rewrite it (refresh from the source's admin page).
    published_disclaimer = models.TextField(
        blank=True, editable=False, verbose_name="disclaimer as published"
    )
    disclaimer_frozen_at = models.DateTimeField(null=True, blank=True, editable=False)
    allow_comments = models.BooleanField(default=True)
    is_featured = models.BooleanField(
        default=False, verbose_name="featured", help_text="Shown at the top of the front page. Editors only."
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        get_latest_by = "publish_at"
        indexes = [models.Index(fields=["status", "-publish_at"], name="article_status_publish_idx")]
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugs.slugify(self.title, max_length=200)
            if not self.slug:
                raise ValidationError(
                    "The title has no letters or digits to make the article's address from; give it a slug.",
                    code="no_slug",
                )
        self.body = clean_article_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def get_preview_url(self):
        return reverse("articles:preview", kwargs={"pk": self.pk})

    @property
    def is_live(self):
        return self.status == self.Status.PUBLISHED and self.publish_at <= timezone.now()

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.publish_at > timezone.now()

    @property
    def highlight_list(self):
        return [line.strip() for line in self.highlights.splitlines() if line.strip()]

    @property
    def modified_at(self):
        """When the article last changed for readers: the "Updated" time, dateModified, feeds and
        sitemaps all read this (see modified_at() for the SQL twin)."""
        return max(self.content_updated_at, self.publish_at)

    @property
    def was_updated(self):
        """True when the article changed noticeably for readers after it went out."""
        return (self.content_updated_at - self.publish_at).total_seconds() > 600

    def corrections_at(self, placement):
        # Reads the prefetched list when the view fetched one, so the page costs no extra query.
        return [correction for correction in self.corrections.all() if correction.placement == placement]

    @property
    def top_corrections(self):
        return self.corrections_at("top")

    @property
    def bottom_corrections(self):
        return self.corrections_at("bottom")

    def ordered_citations(self):
        # Reads the prefetched list when the view fetched one, so the page costs no extra query.
        return sorted(self.citations.all(), key=lambda citation: (citation.position, citation.pk))

    def cited_sources(self):
        """The sources the article cites, lead first: what the provenance rules are checked against."""
        return [citation.source for citation in self.ordered_citations()]

    @property
    def lead_source(self):
        citations = self.ordered_citations()
        return citations[0].source if citations else None

    def current_disclaimer(self, *, site_default=UNSET):
        """The disclaimer that applies now, by the one fallback rule (Disclaimer.objects.applying)."""
        lead = self.lead_source
        return Disclaimer.objects.applying(
            self.disclaimer, lead.default_disclaimer if lead else None, site_default=site_default
        )

    def current_disclaimer_text(self, *, site_default=UNSET):
        """The disclaimer as the current facts fill it in."""
        disclaimer = self.current_disclaimer(site_default=site_default)
        return disclaimer.render(self.lead_source) if disclaimer else ""

    def disclaimer_text(self):
        """What readers see: a published article's disclaimer as it went out, else what applies now."""
        if self.status == self.Status.PUBLISHED and self.disclaimer_frozen_at is not None:
            return self.published_disclaimer
        return self.current_disclaimer_text()

    def sourcing_badges(self):
        """Warnings a reader should see about how the story is sourced: (code, label) pairs."""
        return [
            (warning.code, warning.reader_label)
            for warning in provenance_warnings(self.cited_sources())
            if warning.reader_label
        ]


class Citation(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    url = models.URLField(blank=True, max_length=500, help_text="The cited report itself.")
    title = models.CharField(max_length=300, blank=True, help_text="Headline of the cited report.")
    note = models.CharField(max_length=300, blank=True, help_text="What the article takes from it.")
    position = models.PositiveSmallIntegerField(default=0, help_text="The first citation is the lead source.")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "source", "url"], name="citation_unique_source_url_per_article"
            )
        ]

    def __str__(self):
        return f"{self.source} in {self.article}"


class FormerSlugQuerySet(models.QuerySet):
    def live_article(self, slug):
        """The live article that once answered at `slug`, or None."""
        former = (
            self.filter(slug=slug, article__in=Article.objects.published()).select_related("article").first()
        )
        return former.article if former else None


class FormerSlug(models.Model):
    """An address a live article used to have, kept so that old links keep working."""

    slug = slugs.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="former_slugs")
    retired_at = models.DateTimeField(auto_now=True)

    objects = FormerSlugQuerySet.as_manager()

    class Meta:
        ordering = ["-retired_at"]
        verbose_name = "former address"
        verbose_name_plural = "former addresses"

    def __str__(self):
        return f"{self.slug} → {self.article.slug}"
