from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from articles import services
from core.sanitizer import BodyTooLong, check_length, clean_article_html
from articles.forms import ArticleAdminForm, TagAdminForm
from articles.models import Article, Author, Citation, Country, Disclaimer, FormerSlug, Mineral, Section, Source


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 1
    autocomplete_fields = ["source"]
    fields = ["position", "source", "title", "url", "note"]
    verbose_name = "cited source"
    verbose_name_plural = "Sources cited (the first is the lead source, whose disclaimer applies)"


class SourceFilter(admin.SimpleListFilter):
    title = "source"
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return Source.objects.values_list("pk", "name")

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(citations__source_id=self.value()).distinct()
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [CitationInline]
    list_display = ["title", "status_at_a_glance", "section", "byline", "is_featured", "publish_at", "updated_at"]
    list_display_links = ["title"]
    list_filter = [
        "status", "section", "is_featured",
        ("minerals", admin.RelatedOnlyFieldListFilter),
        ("countries", admin.RelatedOnlyFieldListFilter),
        SourceFilter,
        ("authors", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "dek", "body", "slug"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["authors", "section", "disclaimer"]
    readonly_fields = ["preview_link", "created_at", "updated_at"]
    actions = ["publish_now", "unpublish", "feature", "unfeature"]
    list_per_page = 50
    save_on_top = True
    fieldsets = [
        ("Story", {"fields": ["title", "slug", "dek", "highlights", "body"]}),
        ("Byline and section", {"fields": ["section", "authors"]}),
        ("Hero photo", {"fields": ["hero_image", "hero_alt", "hero_caption", "hero_credit"]}),
        ("Tags", {"fields": ["minerals", "countries"], "description": "Comma-separated; new tags are created as you type them."}),
        ("Disclaimer", {"fields": ["disclaimer"], "description": "Leave empty to use the lead source's default."}),
        ("Publishing", {"fields": ["status", "publish_at", "is_featured", "allow_comments", "preview_link", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section").prefetch_related("authors")

    def get_urls(self):
        paste = path("paste/", self.admin_site.admin_view(self.paste_view), name="articles_article_paste")
        return [paste, *super().get_urls()]

    def paste_view(self, request):
        """The editor's paste, tidied and cleaned as a save would clean it (static/js/paste_cleanup.js)."""
        if request.method != "POST":
            return JsonResponse({"error": "POST the pasted HTML as `html`."}, status=405)
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        raw = request.POST.get("html", "")
        try:
            # Word's HTML carries its style sheets and list definitions: allow it ten times a body.
            check_length(raw, settings.ARTICLE_BODY_MAX_CHARS * 10)
        except BodyTooLong as error:
            return JsonResponse({"error": str(error)}, status=413)
        return JsonResponse({"html": clean_article_html(raw)})

    def view_on_site(self, obj):
        # Readers' URL once live; before that the staff preview, which is what "view on site" can show.
        return obj.get_absolute_url() if obj.is_live else obj.get_preview_url()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request, obj, form, change):
        """Nothing yet: save_related writes the row and its relations together, through the service."""

    def save_related(self, request, form, formsets, change):
        # One article_save for the row, its tags and authors, and its citations: it decides
        # publishing again (the form's check is for the message) and sees the whole change.
        services.article_save(
            article=form.instance, user=request.user,
            save_related=lambda: super(ArticleAdmin, self).save_related(request, form, formsets, change),
        )

    @admin.display(description="status", ordering="status")
    def status_at_a_glance(self, obj):
        if obj.is_scheduled:
            label = f"Scheduled {timezone.localtime(obj.publish_at):%d %b %H:%M}"
        else:
            label = obj.get_status_display()
        css = "scheduled" if obj.is_scheduled else obj.status
        return format_html('<span class="status-pill status-{}">{}</span>', css, label)

    @admin.display(description="authors")
    def byline(self, obj):
        return ", ".join(author.name for author in obj.authors.all())

    @admin.display(description="preview")
    def preview_link(self, obj):
        if not obj.pk:
            return "Save the article to get a preview link."
        return format_html('<a href="{}" target="_blank" rel="noopener">Preview as readers will see it</a>', obj.get_preview_url())

    def has_publish_permission(self, request):
        return services.can_publish(request.user)

    def _set_status(self, request, queryset, status, verb):
        try:
            changed = services.articles_set_status(user=request.user, articles=queryset, status=status)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(request, f"{verb} {changed} article(s).", messages.SUCCESS)

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_now(self, request, queryset):
        self._set_status(request, queryset, Article.Status.PUBLISHED, "Published")

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.DRAFT, "Unpublished")

    @admin.action(description="Feature on the front page")
    def feature(self, request, queryset):
        changed = services.articles_set_featured(user=request.user, articles=queryset, featured=True)
        self.message_user(request, f"Featured {changed} article(s).")

    @admin.action(description="Stop featuring")
    def unfeature(self, request, queryset):
        changed = services.articles_set_featured(user=request.user, articles=queryset, featured=False)
        self.message_user(request, f"Stopped featuring {changed} article(s).")


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "user"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


class TagAdmin(admin.ModelAdmin):
    """Shared by the two taxonomies: how many articles carry each tag.

    The slug is made on save from the name, in its own script (core.slugs), as it is for a tag
    typed into an article; the admin's script would drop the marks of scripts such as Devanagari.
    """

    form = TagAdminForm

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("tagged_articles"))

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


@admin.register(Mineral)
class MineralAdmin(TagAdmin):
    list_display = ["name", "symbol", "aliases", "article_count"]
    search_fields = ["name", "symbol", "aliases"]


@admin.register(Country)
class CountryAdmin(TagAdmin):
    list_display = ["name", "iso_code", "article_count"]
    search_fields = ["name", "iso_code"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "owner", "controlled_by", "citing_articles"]
    list_filter = ["kind", ("country", admin.RelatedOnlyFieldListFilter), "default_disclaimer"]
    search_fields = ["name", "owner", "controlled_by", "notes"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country", "default_disclaimer"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "url", "kind", "country"]}),
        ("Ownership", {"fields": ["owner", "controlled_by", "notes"]}),
        ("Disclaimer", {"fields": ["default_disclaimer"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            citing_count=Count("citations__article", distinct=True)
        ).select_related("country")

    @admin.display(description="articles citing it", ordering="citing_count")
    def citing_articles(self, obj):
        url = reverse("admin:articles_article_changelist") + f"?source={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.citing_count)


@admin.register(Disclaimer)
class DisclaimerAdmin(admin.ModelAdmin):
    list_display = ["title", "sample", "source_count"]
    search_fields = ["title", "text"]
    readonly_fields = ["sample"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(source_count=Count("sources"))

    @admin.display(description="sources using it", ordering="source_count")
    def source_count(self, obj):
        return obj.source_count

    @admin.display(description="as readers see it")
    def sample(self, obj):
        if not obj.pk:
            return "Save to see the disclaimer filled in for a sample source."
        source = obj.sources.select_related("country").first() or Source.objects.select_related("country").first()
        if source is None:
            return obj.text
        return format_html("{}<br><small>(filled in for {})</small>", obj.render(source), source.name)


@admin.register(FormerSlug)
class FormerSlugAdmin(admin.ModelAdmin):
    """Old article addresses that redirect; delete one to let its address answer 404 again."""

    list_display = ["slug", "article", "retired_at"]
    search_fields = ["slug", "article__title", "article__slug"]
    autocomplete_fields = ["article"]
    list_select_related = ["article"]
