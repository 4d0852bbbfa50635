"""The subjects an article is about (sections, authors, minerals, countries; sources are in
sources.py): what each shares as a Subject, and the tag models minerals and countries are."""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Max, Q
from django.db.models.functions import Greatest
from django.urls import reverse
from taggit.models import NaturalKeyManager, TagBase, TaggedItemBase

from core import slugs
from core.images import validate_photo


def _live_articles():
    # Articles are defined after their subjects and refer to them; the app registry spares a
    # circular import.
    return apps.get_model("articles", "Article").objects.published()


def modified_at(prefix=""):
    """When an article last changed for readers, in SQL: its last change a reader can see, or going
    live if that came later (a scheduled article is new when it goes out). Article.modified_at is the
    same in Python."""
    return Greatest(f"{prefix}content_updated_at", f"{prefix}publish_at")


class SubjectQuerySet(models.QuerySet):
    """Sections, minerals, countries, sources and authors: the subjects that each have a page, feeds
    and a sitemap (declared in articles.subjects)."""

    def annotate_live(self):
        """Each subject with `live_count`, its live articles, and `last_article`, when the newest of
        them last changed (None without any)."""
        path = self.model.articles_path
        live = Q(**{f"{path}__in": _live_articles()})
        annotated = self.annotate(
            live_count=Count(path, filter=live, distinct=True),
            last_article=Max(modified_at(f"{path}__"), filter=live),
        )
        # Django leaves Meta.ordering out of a grouped query; the editors' order (a section's
        # position, then its name) must hold in the front page's sections box all the same.
        return annotated if self.query.order_by else annotated.order_by(*self.model._meta.ordering)

    def listed(self):
        """Subjects with a live article: what lists of subjects offer readers and subscribers (the
        Countries and Minerals pages, the daily update's topics). A subject known only through
        `public_through` keeps its page but is no entry in a list, where it would lead to nothing."""
        path = self.model.articles_path
        return self.filter(pk__in=self.model.objects.filter(**{f"{path}__in": _live_articles()}).values("pk"))

    def public(self):
        """Subjects readers may know of: those with a live article (and, for countries, those a source
        in the register is based in). A tag made for a story not yet out, or an author with nothing
        published, stays unknown until the story runs."""
        path = self.model.articles_path
        known = Q(pk__in=self.model.objects.filter(**{f"{path}__in": _live_articles()}).values("pk"))
        if self.model.public_through:
            known |= Q(
                pk__in=self.model.objects.filter(**{f"{self.model.public_through}__isnull": False}).values(
                    "pk"
                )
            )
        return self.filter(known)


class Subject(models.Model):
    """What every subject model declares: how it reaches its articles, and how articles reach it."""

    articles_path = None  # subject → articles, as a lookup path
    article_lookup = None  # article → subject, as a lookup path
    # The fields search finds an article's subject by: a change to one re-indexes its articles.
    searched_fields = ("name",)

    @property
    def alias_list(self):
        """Other names of the subject, for the subjects that keep them (the `aliases` field)."""
        return [alias.strip() for alias in getattr(self, "aliases", "").split(",") if alias.strip()]

    public_through = None  # another public relation that makes the subject known (a lookup path)

    objects = SubjectQuerySet.as_manager()

    class Meta:
        abstract = True


# Tags keep taggit's natural-key lookups beside the subject queries.
TagSubjectManager = NaturalKeyManager.from_queryset(SubjectQuerySet)


def tag_name_error(name):
    """Why `name` cannot be a mineral or country tag, or None: its address is made from it."""
    if not slugs.slugify(name):
        return f"“{name}” has no letters or digits, in any script, to make the tag's address from."
    return None


class SubjectTag(TagBase, Subject):
    """A mineral or country: a taggit tag whose address is its name, in whatever script it is written.

    The slug is made from the name once, when the tag is created (from the admin, an article's
    tag field, an import or the shell), and kept when the name is edited, so links stay put.
    """

    slug = slugs.SlugField(
        verbose_name="slug",
        unique=True,
        max_length=100,
        blank=True,
        help_text="The last part of the tag's address. Leave empty to make it from the name.",
    )

    objects = TagSubjectManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug and not self._state.adding:
            self.slug = self.slugify(self.name)  # taggit fills it in for new tags only
        return super().save(*args, **kwargs)

    def slugify(self, tag, i=None):
        # taggit calls this with i=1, 2, … when the slug is taken.
        suffix = "" if i is None else f"_{i}"
        slug = slugs.slugify(tag, max_length=self._meta.get_field("slug").max_length - len(suffix))
        if not slug:
            raise ValidationError(tag_name_error(tag), code="no_slug")
        return slug + suffix


class Section(Subject):
    articles_path = "articles"
    article_lookup = "section"
    searched_fields = ("name", "aliases")

    name = models.CharField(max_length=80, unique=True)
    slug = slugs.SlugField(max_length=80, unique=True)
    aliases = models.CharField(
        max_length=255,
        blank=True,
        help_text="The desk's other words for what the section covers, comma-separated: a search for "
        "“export controls” finds the Policy section's stories.",
    )
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
    slug = slugs.SlugField(max_length=120, unique=True)
    role = models.CharField(
        max_length=120, blank=True, help_text="For example: Senior correspondent, Jakarta."
    )
    bio = models.TextField(blank=True, help_text="Plain text, shown under the author's articles.")
    photo = models.ImageField(
        upload_to="authors/",
        blank=True,
        validators=[validate_photo],
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


class Mineral(SubjectTag):
    articles_path = "tagged_articles__content_object"
    article_lookup = "minerals"
    searched_fields = ("name", "symbol", "aliases")

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


class Country(SubjectTag):
    articles_path = "tagged_articles__content_object"
    article_lookup = "countries"
    public_through = "sources"  # a source's country is on its public page already
    searched_fields = ("name", "aliases")

    iso_code = models.CharField(
        max_length=2,
        blank=True,
        help_text="ISO 3166-1 alpha-2 code, for example CN.",
        verbose_name="ISO code",
    )
    aliases = models.CharField(
        max_length=255,
        blank=True,
        help_text="Other names readers search for, comma-separated, for example PRC, Chinese.",
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
