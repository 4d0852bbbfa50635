"""The admin pages of the subjects articles are about (sections, authors, minerals, countries,
sources) and of the disclaimers. Registered when articles.admin is loaded."""

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from articles import services
from articles.admin.corrections import RecordsWhoAddsRows
from articles.admin.sources import DisclaimerAdminForm, SourceAdminMixin
from articles.forms import AuthorAdminForm, TagAdminForm
from articles.models import (
    Author,
    Country,
    Disclaimer,
    Mineral,
    Section,
    Source,
)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "aliases", "position"]
    list_editable = ["position"]
    search_fields = ["name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    form = AuthorAdminForm
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
    # Said again here: a query that counts (GROUP BY) drops the model's default ordering, and the
    # autocomplete widgets page through this queryset. Likewise for sources and disclaimers.
    ordering = ["name"]

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
    list_display = ["name", "iso_code", "aliases", "article_count"]
    search_fields = ["name", "iso_code", "aliases"]


@admin.register(Source)
class SourceAdmin(SourceAdminMixin, RecordsWhoAddsRows, admin.ModelAdmin):
    list_display = ["name", "kind", "country", "owner", "controlled_by", "citing_articles"]
    list_filter = ["kind", ("country", admin.RelatedOnlyFieldListFilter), "default_disclaimer"]
    search_fields = ["name", "owner", "controlled_by", "notes"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country", "default_disclaimer"]
    ordering = ["name"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "url", "kind", "country"]}),
        (
            "Ownership",
            {
                "fields": ["owner", "controlled_by", "ownership_since", "notes"],
                "description": (
                    "A change of owner or controller is dated in "
                    "the history below and shown on the source's page."
                ),
            },
        ),
        (
            "Disclaimer",
            {
                "fields": ["default_disclaimer", "outdated_disclaimers"],
                "description": (
                    "Articles keep the disclaimer they were published with. After a "
                    "change of owner, controller or disclaimer, the articles it would "
                    "now read differently on are listed here to refresh."
                ),
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(citing_count=Count("citations__article", distinct=True))
            .select_related("country")
        )

    @admin.display(description="articles citing it", ordering="citing_count")
    def citing_articles(self, obj):
        url = reverse("admin:articles_article_changelist") + f"?source={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.citing_count)


@admin.register(Disclaimer)
class DisclaimerAdmin(admin.ModelAdmin):
    """Reusable disclaimer texts; one may be the site-wide default for articles whose lead source names
    none."""

    form = DisclaimerAdminForm
    list_display = ["title", "sample", "source_count", "is_site_default"]
    list_filter = ["is_site_default"]
    search_fields = ["title", "text"]
    readonly_fields = ["sample"]
    fields = ["title", "text", "site_default", "sample"]
    actions = ["make_site_default"]
    ordering = ["title"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.cleaned_data["site_default"] != obj.is_site_default:
            services.disclaimer_set_site_default(
                disclaimer=obj if form.cleaned_data["site_default"] else None
            )

    @admin.action(description="Make the site-wide default", permissions=["change"])
    def make_site_default(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, "Choose exactly one disclaimer as the site-wide default.", messages.ERROR
            )
            return
        disclaimer = queryset.get()
        services.disclaimer_set_site_default(disclaimer=disclaimer)
        self.message_user(
            request, f"“{disclaimer}” is now the site-wide default disclaimer.", messages.SUCCESS
        )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(source_count=Count("sources"))

    @admin.display(description="sources using it", ordering="source_count")
    def source_count(self, obj):
        return obj.source_count

    @admin.display(description="as readers see it")
    def sample(self, obj):
        if not obj.pk:
            return "Save to see the disclaimer filled in for a sample source."
        source = (
            obj.sources.select_related("country").first() or Source.objects.select_related("country").first()
        )
        if source is None:
            return obj.text
        return format_html("{}<br><small>(filled in for {})</small>", obj.render(source), source.name)
