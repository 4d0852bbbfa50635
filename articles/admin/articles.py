"""The article's admin page: the form, citations and corrections inline, publishing through the one
write path, and the body editor's paste endpoint."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html

from articles import services
from articles.admin.corrections import CorrectionInline, RecordsWhoAddsRows
from articles.admin.revisions import ArticleRevisionsMixin
from articles.forms import ArticleAdminForm
from articles.models import (
    Article,
    ArticleRevision,
    Citation,
    Correction,
    FormerSlug,
    Source,
)
from articles.provenance import provenance_warnings
from articles.revisions import drafting
from core.formats import short_datetime
from core.sanitizer import BodyTooLong, check_length, clean_article_html


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 1
    # Order is set with buttons (static/js/citation_order.js); the number itself is not for typing.
    formfield_overrides = {models.PositiveSmallIntegerField: {"widget": forms.HiddenInput}}

    class Media:
        js = ["js/citation_order.js"]

    def get_extra(self, request, obj=None, **kwargs):
        rows = _proposed_citations(obj)
        return self.extra if rows is None else len(rows) + self.extra

    autocomplete_fields = ["source"]
    fields = ["position", "source", "title", "url", "note"]
    verbose_name = "cited source"
    verbose_name_plural = "Sources cited (the first is the lead source, whose disclaimer applies)"


def _proposed_citations(article):
    working_copy = getattr(article, "working_copy", None)
    return working_copy.citations() if working_copy else None


class PendingChangesFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("pending", "Changes waiting for review")]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(pending_changes=True)
        return queryset


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
class ArticleAdmin(ArticleRevisionsMixin, RecordsWhoAddsRows, admin.ModelAdmin):
    """Writers draft and send for review; editors publish, schedule, feature and correct. A writer's
    change to a published article is kept as a proposed change until an editor approves it from the
    review page (linked above the form and from "Proposed changes"); the History button lists every
    revision, to compare any two and restore one."""

    form = ArticleAdminForm
    inlines = [CitationInline, CorrectionInline]
    added_by = {Correction: "created_by"}
    list_display = [
        "title",
        "status_at_a_glance",
        "section",
        "byline",
        "is_featured",
        "publish_at",
        "content_updated_at",
    ]
    list_display_links = ["title"]
    list_filter = [
        "status",
        PendingChangesFilter,
        "section",
        "is_featured",
        ("minerals", admin.RelatedOnlyFieldListFilter),
        ("countries", admin.RelatedOnlyFieldListFilter),
        SourceFilter,
        ("authors", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "dek", "body", "slug"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["authors", "section", "disclaimer"]
    readonly_fields = [
        "preview_link",
        "created_at",
        "updated_at",
        "content_updated_at",
        "published_disclaimer",
    ]
    actions = [
        "publish_now",
        "unpublish",
        "feature",
        "unfeature",
        "open_comments",
        "close_comments",
        "refresh_disclaimers",
    ]
    list_per_page = 50
    save_on_top = True
    fieldsets = [
        ("Story", {"fields": ["title", "slug", "dek", "highlights", "body"]}),
        ("Byline and section", {"fields": ["section", "authors"]}),
        ("Hero photo", {"fields": ["hero_image", "hero_alt", "hero_caption", "hero_credit"]}),
        (
            "Tags",
            {
                "fields": ["minerals", "countries"],
                "description": "Comma-separated; new tags are created as you type them.",
            },
        ),
        (
            "Disclaimer",
            {
                "fields": ["disclaimer", "published_disclaimer"],
                "description": (
                    "Leave empty to use the lead source's default, or else the site-wide "
                    "default. The text an article is published with is kept with it: a later "
                    "change to a source's owner does not rewrite it until an editor refreshes "
                    "it (from the source's page or the article list)."
                ),
            },
        ),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    "publish_at",
                    "is_featured",
                    "allow_comments",
                    "preview_link",
                    "created_at",
                    "updated_at",
                    "content_updated_at",
                ],
                "description": (
                    "Only editors publish, schedule, unpublish and feature. Once an article is "
                    "published, a writer's changes are proposed to an editor and readers keep "
                    "seeing the published version until one approves."
                ),
            },
        ),
    ]

    def get_queryset(self, request):
        pending = ArticleRevision.objects.pending().filter(article=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .select_related("section")
            .prefetch_related("authors")
            .annotate(pending_changes=Exists(pending))
        )

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        if article is not None and request.resolver_match.url_name == "articles_article_change":
            # A writer edits their pending proposal, not the published text (articles.revisions.drafting).
            article.working_copy = drafting.working_copy(article=article, user=request.user)
        return article

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        rows = _proposed_citations(obj) if isinstance(inline, CitationInline) else None
        if rows is not None:
            # The proposal's citations are not rows of the database: the inline shows them as new rows,
            # and a save replaces the article's citations with the list as posted (see save_related).
            kwargs["queryset"] = Citation.objects.none()
            if request.method != "POST":
                kwargs["initial"] = rows
        return kwargs

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if article is not None:
            context.update(self.review_context(request, article))
            context["working_copy"] = article.working_copy
            context["provenance_warnings"] = provenance_warnings(self._cited_sources(article))
        return super().change_view(request, object_id, form_url, context)

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
        working_copy = getattr(obj, "working_copy", None)
        return type(
            form.__name__,
            (form,),
            {"user": request.user, "proposed_initial": working_copy.form_initial() if working_copy else {}},
        )

    def save_model(self, request, obj, form, change):
        """Nothing yet: save_related writes the row and its relations together, through the service."""

    def save_related(self, request, form, formsets, change):
        # One article_save for the row, its tags and authors, its citations and corrections: it
        # decides publishing again (the form's check is for the message) and sees the whole change.
        article = form.instance
        replace_citations = _proposed_citations(article) is not None

        def save_related():
            if replace_citations:
                article.citations.all().delete()
            super(ArticleAdmin, self).save_related(request, form, formsets, change)

        decision = services.article_save(article=article, user=request.user, save_related=save_related)
        if decision in (services.Publishing.PUBLISH, services.Publishing.SCHEDULE):
            self._warn_provenance(request, article)

    @staticmethod
    def _cited_sources(article):
        return Article.objects.with_citations().get(pk=article.pk).cited_sources()

    def _warn_provenance(self, request, article):
        for warning in provenance_warnings(self._cited_sources(article)):
            self.message_user(
                request, f"“{article}” went out with a provenance warning. {warning}", messages.WARNING
            )

    def _proposed(self, obj):
        revision = getattr(obj, "saved_revision", None)
        return revision if revision is not None and revision.is_pending else None

    def log_change(self, request, obj, message):
        if proposal := self._proposed(obj):
            message = f"Proposed a change for review (revision {proposal.number})."
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if proposal := self._proposed(obj):
            self.message_user(
                request,
                format_html(
                    "Your changes were sent to an editor for review as revision {}. Readers keep seeing the "
                    'published version until an editor approves. <a href="{}">See the proposed change</a>.',
                    proposal.number,
                    reverse("admin:articles_article_review", args=[obj.pk, proposal.number]),
                ),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))
        return super().response_change(request, obj)

    @admin.display(description="status", ordering="status")
    def status_at_a_glance(self, obj):
        """Draft, in review, scheduled or live, and whether changes are waiting for an editor."""
        if obj.is_scheduled:
            label = f"Scheduled {short_datetime(obj.publish_at)}"
        elif obj.is_live:
            label = "Live"
        else:
            label = obj.get_status_display()
        css = "scheduled" if obj.is_scheduled else obj.status
        pill = format_html('<span class="status-pill status-{}">{}</span>', css, label)
        if getattr(obj, "pending_changes", False):
            pill = format_html('{} <span class="status-pill status-pending">changes pending</span>', pill)
        return pill

    @admin.display(description="authors")
    def byline(self, obj):
        return ", ".join(author.name for author in obj.authors.all())

    @admin.display(description="preview")
    def preview_link(self, obj):
        if not obj.pk:
            return "Save the article to get a preview link."
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Preview as readers will see it</a>',
            obj.get_preview_url(),
        )

    def has_publish_permission(self, request):
        return services.can_publish(request.user)

    def _bulk(self, request, verb, change, **kwargs):
        """Run a bulk service and report it; a refusal is a message, never a half-done change."""
        try:
            result = change(user=request.user, **kwargs)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return None
        self.message_user(request, f"{verb} {result.saved} article(s).", messages.SUCCESS)
        if result.proposed:
            self.message_user(
                request,
                f"{result.proposed} change(s) to published articles were sent to an editor for review.",
                messages.INFO,
            )
        return result

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_now(self, request, queryset):
        articles = list(queryset)
        if self._bulk(
            request,
            "Published",
            services.articles_set_status,
            articles=articles,
            status=Article.Status.PUBLISHED,
        ):
            for article in Article.objects.filter(pk__in=[a.pk for a in articles]):
                self._warn_provenance(request, article)

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._bulk(
            request,
            "Unpublished",
            services.articles_set_status,
            articles=queryset,
            status=Article.Status.DRAFT,
        )

    @admin.action(description="Feature on the front page", permissions=["publish"])
    def feature(self, request, queryset):
        self._bulk(request, "Featured", services.articles_set_featured, articles=queryset, featured=True)

    @admin.action(description="Stop featuring", permissions=["publish"])
    def unfeature(self, request, queryset):
        self._bulk(
            request, "Stopped featuring", services.articles_set_featured, articles=queryset, featured=False
        )

    @admin.action(description="Open comments")
    def open_comments(self, request, queryset):
        self._bulk(
            request, "Opened comments on", services.articles_set_comments, articles=queryset, allow=True
        )

    @admin.action(description="Close comments")
    def close_comments(self, request, queryset):
        self._bulk(
            request, "Closed comments on", services.articles_set_comments, articles=queryset, allow=False
        )

    @admin.action(description="Refresh disclaimers from the sources' current facts", permissions=["publish"])
    def refresh_disclaimers(self, request, queryset):
        try:
            changed = services.articles_refresh_disclaimer(user=request.user, articles=queryset)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(
            request, f"Refreshed the disclaimer of {changed} published article(s).", messages.SUCCESS
        )


@admin.register(FormerSlug)
class FormerSlugAdmin(admin.ModelAdmin):
    """Old article addresses that redirect; delete one to let its address answer 404 again."""

    list_display = ["slug", "article", "retired_at"]
    search_fields = ["slug", "article__title", "article__slug"]
    autocomplete_fields = ["article"]
    list_select_related = ["article"]
