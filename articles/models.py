from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Count, Max, Q
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import NaturalKeyManager, TagBase, TaggedItemBase

from core.images import validate_photo
from core.sanitizer import clean_article_html


def modified_at(prefix=""):
    """When an article last changed for readers, in SQL: its last edit, or going live if that came
    later (a scheduled article is new when it goes out). Article.modified_at is the same in Python."""
    return Greatest(f"{prefix}updated_at", f"{prefix}publish_at")


class SubjectQuerySet(models.QuerySet):
    """Sections, minerals, countries, sources and authors: the subjects that each have a page, feeds
    and a sitemap (declared in articles.subjects)."""

    def annotate_live(self):
        """Each subject with `live_count`, its live articles, and `last_article`, when the newest of
        them last changed (None without any)."""
        path = self.model.articles_path
        live = Q(**{f"{path}__in": Article.objects.published()})
        return self.annotate(
            live_count=Count(path, filter=live, distinct=True),
            last_article=Max(modified_at(f"{path}__"), filter=live),
        )

    def with_live_articles(self):
        """Only subjects with at least one live article: what readers may find and crawlers list."""
        return self.annotate_live().filter(live_count__gt=0)


class Subject(models.Model):
    """What every subject model declares: how it reaches its articles, and how articles reach it."""

    articles_path = None  # subject → articles, as a lookup path
    article_lookup = None  # article → subject, as a lookup path

    objects = SubjectQuerySet.as_manager()

    class Meta:
        abstract = True


# Tags keep taggit's natural-key lookups beside the subject queries.
TagSubjectManager = NaturalKeyManager.from_queryset(SubjectQuerySet)


class Section(Subject):
    articles_path = "articles"
    article_lookup = "section"


    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, help_text="Shown at the top of the section page.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first in the site's navigation."
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class Author(Subject):
    articles_path = "articles"
    article_lookup = "authors"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    role = models.CharField(max_length=120, blank=True, help_text="For example: Senior correspondent, Jakarta.")
    bio = models.TextField(blank=True, help_text="Plain text, shown under the author's articles.")
    photo = models.ImageField(
        upload_to="authors/", blank=True, validators=[validate_photo],
        help_text="A JPEG, PNG or WebP portrait, square if possible.",
    )
    # Recorded with the photo's renditions (articles.photos); empty until they exist.
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="author"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


class Mineral(TagBase, Subject):
    articles_path = "tagged_articles__content_object"
    article_lookup = "minerals"
    objects = TagSubjectManager()

    symbol = models.CharField(max_length=12, blank=True, help_text="Chemical symbol, for example Nd.")
    aliases = models.CharField(
        max_length=255, blank=True, help_text="Other names readers search for, comma-separated."
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "mineral"

    def get_absolute_url(self):
        return reverse("articles:mineral", kwargs={"slug": self.slug})

    @property
    def alias_list(self):
        return [alias.strip() for alias in self.aliases.split(",") if alias.strip()]


class Country(TagBase, Subject):
    articles_path = "tagged_articles__content_object"
    article_lookup = "countries"
    objects = TagSubjectManager()

    iso_code = models.CharField(
        max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code, for example CN.", verbose_name="ISO code"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "country"
        verbose_name_plural = "countries"

    def get_absolute_url(self):
        return reverse("articles:country", kwargs={"slug": self.slug})


class TaggedMineral(TaggedItemBase):
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)
    tag = models.ForeignKey(Mineral, on_delete=models.CASCADE, related_name="tagged_articles")


class TaggedCountry(TaggedItemBase):
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)
    tag = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="tagged_articles")


class _SafeFacts(dict):
    """Leaves an unknown {placeholder} as written instead of failing the page."""

    def __missing__(self, key):
        return "{" + key + "}"


class Disclaimer(models.Model):
    title = models.CharField(max_length=120, unique=True, help_text="For editors only, e.g. 'State media'.")
    text = models.TextField(
        help_text=(
            "Shown under articles. Placeholders filled from the lead source: {source}, {country}, "
            "{owner}, {controller}, {kind}."
        )
    )

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def render(self, source=None):
        facts = source.disclaimer_facts() if source else {}
        return self.text.format_map(_SafeFacts(facts))


class Source(Subject):
    articles_path = "citations__article"
    article_lookup = "citations__source"

    class Kind(models.TextChoices):
        NEWSPAPER = "newspaper", "Newspaper"
        STATE_MEDIA = "state_media", "State media"
        WIRE = "wire", "Wire service"
        GOVERNMENT = "government", "Government"
        COMPANY = "company", "Company"
        RESEARCH = "research", "Research"

    name = models.CharField(max_length=160, unique=True)
    slug = models.SlugField(max_length=160, unique=True)
    url = models.URLField(blank=True, verbose_name="website")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEWSPAPER)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.SET_NULL, related_name="sources")
    owner = models.CharField(max_length=200, blank=True, help_text="Who owns the outlet.")
    controlled_by = models.CharField(
        max_length=200, blank=True, help_text="Who ultimately controls it, where that differs from the owner."
    )
    notes = models.TextField(blank=True, help_text="Shown on the source page: background readers should know.")
    default_disclaimer = models.ForeignKey(
        Disclaimer, null=True, blank=True, on_delete=models.SET_NULL, related_name="sources",
        help_text="Used on articles whose lead source this is, unless the article names its own.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:source", kwargs={"slug": self.slug})

    @property
    def is_state_media(self):
        return self.kind == self.Kind.STATE_MEDIA

    def disclaimer_facts(self):
        return {
            "source": self.name,
            "country": self.country.name if self.country_id else "an unstated country",
            "owner": self.owner or "an undisclosed owner",
            "controller": self.controlled_by or self.owner or "an undisclosed controller",
            "kind": self.get_kind_display().lower(),
        }


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

    def for_listing(self):
        """What an article card needs, fetched in a fixed number of queries."""
        return self.select_related("section").prefetch_related("authors")

    def recent(self, limit, *, exclude=None):
        """The newest `limit` articles, for short lists of headlines beside a page."""
        articles = self.select_related("section")
        if exclude is not None:
            articles = articles.exclude(pk=exclude.pk)
        return articles[:limit]

    def with_modified_at(self):
        return self.annotate(modified=modified_at())


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        # The search vector is for the database's own use: no page reads it, so no query
        # carries it (on PostgreSQL it is about as large as the body).
        return super().get_queryset().defer("search_vector")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, help_text="The last part of the article's address.")
    dek = models.CharField(
        max_length=300, blank=True, verbose_name="standfirst",
        help_text="One or two sentences under the headline; also the summary in feeds and link previews.",
    )
    highlights = models.TextField(blank=True, help_text="Key points, one per line. Shown as a list above the body.")
    body = models.TextField(blank=True, help_text="Cleaned on save: scripts, styles and unsafe links are removed.")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    authors = models.ManyToManyField(Author, blank=True, related_name="articles")
    hero_image = models.ImageField(
        upload_to="heroes/%Y/%m/", blank=True, validators=[validate_photo],
        help_text="A JPEG, PNG or WebP photo; smaller copies for each screen are made on save.",
    )
    # Recorded with the photo's renditions (articles.photos); empty until they exist.
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_alt = models.CharField(max_length=250, blank=True, help_text="Describe the photo for readers who cannot see it.")
    hero_caption = models.CharField(max_length=300, blank=True)
    hero_credit = models.CharField(max_length=150, blank=True, help_text="As printed, e.g. 'Photo: Ana Ruiz'.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    publish_at = models.DateTimeField(
        default=timezone.now, verbose_name="publish at",
        help_text="A future time schedules the article; it goes live by itself then.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    minerals = TaggableManager(through=TaggedMineral, related_name="articles", blank=True, verbose_name="minerals")
    countries = TaggableManager(through=TaggedCountry, related_name="articles", blank=True, verbose_name="countries")
    sources = models.ManyToManyField(Source, through="Citation", related_name="articles", blank=True)
    disclaimer = models.ForeignKey(
        Disclaimer, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles",
        help_text="Leave empty to use the lead source's default disclaimer.",
    )
    allow_comments = models.BooleanField(default=True)
    is_featured = models.BooleanField(default=False, verbose_name="featured", help_text="Shown at the top of the front page.")
    # Maintained by articles.search_index on PostgreSQL (GIN-indexed there); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleManager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        get_latest_by = "publish_at"
        indexes = [models.Index(fields=["status", "-publish_at"], name="article_status_publish_idx")]
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:200]
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
        """When the article last changed for readers (see modified_at() for the SQL twin)."""
        return max(self.updated_at, self.publish_at)

    @property
    def was_updated(self):
        """True when the article changed noticeably after it went out."""
        return (self.updated_at - self.publish_at).total_seconds() > 600

    def ordered_citations(self):
        # Reads the prefetched list when the view fetched one, so the page costs no extra query.
        return sorted(self.citations.all(), key=lambda citation: (citation.position, citation.pk))

    @property
    def lead_source(self):
        citations = self.ordered_citations()
        return citations[0].source if citations else None

    def effective_disclaimer(self):
        return self.disclaimer or (self.lead_source.default_disclaimer if self.lead_source else None)

    def disclaimer_text(self):
        disclaimer = self.effective_disclaimer()
        return disclaimer.render(self.lead_source) if disclaimer else ""

    def sourcing_badges(self):
        """Warnings a reader should see about how the story is sourced."""
        sources = [citation.source for citation in self.ordered_citations()]
        distinct = {source.pk: source for source in sources}.values()
        badges = []
        if len(distinct) == 1:
            badges.append(("single-source", "Single source"))
        if distinct and all(source.is_state_media for source in distinct):
            badges.append(("state-media", "State media only"))
        return badges


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
        former = self.filter(slug=slug, article__in=Article.objects.published()).select_related("article").first()
        return former.article if former else None


class FormerSlug(models.Model):
    """An address a live article used to have, kept so that old links keep working."""

    slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="former_slugs")
    retired_at = models.DateTimeField(auto_now=True)

    objects = FormerSlugQuerySet.as_manager()

    class Meta:
        ordering = ["-retired_at"]
        verbose_name = "former address"
        verbose_name_plural = "former addresses"

    def __str__(self):
        return f"{self.slug} → {self.article.slug}"
