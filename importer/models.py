"""What an import remembers: which WordPress post, comment and author became which row here (so a
second run updates instead of duplicating), the old addresses that answer with a redirect, and
the report of every run."""

from django.db import models
from django.urls import reverse

from articles.models import Article, Author, Country, Mineral, Section
from comments.models import Comment


class ImportedPost(models.Model):
    """A WordPress post (by site and post id) and the article it became."""

    site = models.CharField(max_length=200, help_text="The WordPress site's address.")
    wp_id = models.PositiveBigIntegerField(verbose_name="WordPress post id")
    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="wordpress_post")
    # What the article was made from; an unchanged post is not written again.
    digest = models.CharField(max_length=64)
    hero_source = models.CharField(max_length=500, blank=True, help_text="The hero's file in the uploads.")
    # What the report said about the post's pictures and shortcodes, said again when it is unchanged.
    findings = models.JSONField(default=dict)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "wp_id"], name="importedpost_unique_site_id")]

    def __str__(self):
        return f"{self.site} post {self.wp_id}"


class ImportedComment(models.Model):
    site = models.CharField(max_length=200)
    wp_id = models.PositiveBigIntegerField(verbose_name="WordPress comment id")
    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="wordpress_comment")
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "wp_id"], name="importedcomment_unique_site_id")
        ]

    def __str__(self):
        return f"{self.site} comment {self.wp_id}"


class ImportedAuthor(models.Model):
    """A WordPress login and the author its posts are credited to (kept when the author is renamed here)."""

    site = models.CharField(max_length=200)
    login = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "login"], name="importedauthor_unique_login")]

    def __str__(self):
        return f"{self.login} → {self.author}"


class OldAddress(models.Model):
    """A path the WordPress site answered at, and what answers it here with a permanent redirect.

    Exactly one target: an article (its old permalink, `?p=ID` or a former slug), or a section,
    mineral or country (an old category or tag archive; `feed/` after it goes to the subject's feed).
    The path is stored decoded and without its trailing slash, as the lookup normalises requests.
    """

    path = models.CharField(max_length=500, unique=True)
    site = models.CharField(max_length=200)
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    mineral = models.ForeignKey(Mineral, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "old WordPress address"
        verbose_name_plural = "old WordPress addresses"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(article__isnull=False, section=None, mineral=None, country=None)
                    | models.Q(article=None, section__isnull=False, mineral=None, country=None)
                    | models.Q(article=None, section=None, mineral__isnull=False, country=None)
                    | models.Q(article=None, section=None, mineral=None, country__isnull=False)
                ),
                name="oldaddress_one_target",
            )
        ]

    def __str__(self):
        return self.path

    @property
    def subject(self):
        return self.section or self.mineral or self.country

    def target_url(self, *, feed=False):
        """Where the old path answers now: None for an article that is not live (nothing unpublished
        shows anywhere public)."""
        if self.article_id is not None:
            if feed or not Article.objects.published().filter(pk=self.article_id).exists():
                return None
            return self.article.get_absolute_url()
        subject = self.subject
        if feed:
            return reverse(f"articles:{subject._meta.model_name}-feed", kwargs={"slug": subject.slug})
        return subject.get_absolute_url()


class ImportRun(models.Model):
    """One run of import_wordpress (a dry run keeps none): its report as printed, and its figures."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(auto_now_add=True)
    export_file = models.CharField(max_length=500)
    site = models.CharField(max_length=200, blank=True)
    complete = models.BooleanField(
        help_text="False when a published post or an approved comment could not be imported."
    )
    figures = models.JSONField(default=dict)
    report = models.TextField()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "WordPress import"

    def __str__(self):
        return f"{self.export_file} at {self.started_at:%Y-%m-%d %H:%M}"
