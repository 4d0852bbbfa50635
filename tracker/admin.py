"""The tracker in the admin: measures with their events inline, events with each source's account,
and, on an article's page, the events the story reports with links to link another or record a new
one. Every save goes through tracker.services (measure_save, event_save)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from articles.admin.articles import ArticleAdmin
from articles.models import Article
from articles.services import can_publish
from tracker import services
from tracker.forms import LinkArticleForm, PublishingCheckedForm
from tracker.models import EventAccount, Measure, MeasureChange, MeasureEvent


class WithUser:
    """Hands the request's user to the admin's forms, which check publishing with it."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})


class PublishedNeedsEditor:
    """A published record can be changed only by those who may publish; others may look."""

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == Measure.Status.PUBLISHED and not can_publish(request.user):
            return False
        return super().has_change_permission(request, obj)


class MeasureEventInline(admin.StackedInline):
    model = MeasureEvent
    form = PublishingCheckedForm
    extra = 0
    fields = [("kind", "status"), ("date", "date_precision", "until"), "summary", "articles"]
    autocomplete_fields = ["articles"]
    show_change_link = True  # each source's account is kept on the event's own page

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (formset.form,), {"user": request.user})
        return formset


@admin.register(Measure)
class MeasureAdmin(WithUser, PublishedNeedsEditor, admin.ModelAdmin):
    """Writers draft measures and events; editors publish them. Every saved change is kept and, once
    the measure is published, shown on its page as "Changes to this record"."""

    form = PublishingCheckedForm
    inlines = [MeasureEventInline]
    list_display = ["title", "kind", "direction", "implementing_country", "status", "status_today"]
    list_filter = [
        "status",
        "kind",
        "direction",
        ("implementing_country", admin.RelatedOnlyFieldListFilter),
        ("minerals", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "instrument", "slug", "minerals__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["implementing_country", "affected_countries", "minerals", "official_source"]
    readonly_fields = ["change_history"]
    list_select_related = ["implementing_country"]
    save_on_top = True
    fieldsets = [
        ("Measure", {"fields": ["title", "slug", "summary", ("kind", "direction")]}),
        ("Who and what", {"fields": ["implementing_country", "affected_countries", "minerals", "hs_codes"]}),
        ("Official text", {"fields": ["instrument", "official_url", "official_source"]}),
        (
            "Publishing",
            {
                "fields": ["status", "change_history"],
                "description": "Only editors publish a measure or an event; writers save drafts.",
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("periods")

    def save_model(self, request, obj, form, change):
        """Nothing yet: save_related writes the row, its relations and events through the service."""

    def save_related(self, request, form, formsets, change):
        services.measure_save(
            measure=form.instance,
            user=request.user,
            save_related=lambda: super(MeasureAdmin, self).save_related(request, form, formsets, change),
        )

    @admin.display(description="status today")
    def status_today(self, obj):
        status = obj.status_today()
        return status.label if status else "No published events"

    @admin.display(description="changes to this record")
    def change_history(self, obj):
        changes = (
            MeasureChange.objects.filter(measure=obj).select_related("changed_by")[:20] if obj.pk else []
        )
        if not changes:
            return "None yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} · {} · {}{}</li>",
                (
                    (
                        f"{change.changed_at:%Y-%m-%d %H:%M}",
                        change.changed_by or "system",
                        change.summary,
                        " (public)" if change.public else "",
                    )
                    for change in changes
                ),
            ),
        )


class EventAccountInline(admin.TabularInline):
    model = EventAccount
    extra = 1
    fields = ["position", "source", "url", "says"]
    autocomplete_fields = ["source"]


@admin.register(MeasureEvent)
class MeasureEventAdmin(WithUser, PublishedNeedsEditor, admin.ModelAdmin):
    """An event with each source's account of it, side by side; from an article's page, prefilled
    with the story (?articles=<id>)."""

    form = PublishingCheckedForm
    inlines = [EventAccountInline]
    list_display = ["measure", "kind", "date", "date_precision", "until", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["measure"]
    search_fields = ["measure__title", "measure__instrument", "summary"]
    autocomplete_fields = ["measure", "articles"]
    date_hierarchy = "date"
    fields = ["measure", ("kind", "status"), ("date", "date_precision", "until"), "summary", "articles"]

    def save_model(self, request, obj, form, change):
        """Nothing yet: save_related writes the event, its articles and accounts through the service."""

    def save_related(self, request, form, formsets, change):
        services.event_save(
            event=form.instance,
            user=request.user,
            save_related=lambda: super(MeasureEventAdmin, self).save_related(request, form, formsets, change),
        )

    def get_urls(self):
        link = path(
            "link-article/<int:article_id>/",
            self.admin_site.admin_view(self.link_article_view),
            name="tracker_measureevent_link_article",
        )
        return [link, *super().get_urls()]

    def link_article_view(self, request, article_id):
        """Link the story to an event it reports, in one choice and one click."""
        article = get_object_or_404(Article, pk=article_id)
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        form = LinkArticleForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            event = form.cleaned_data["event"]
            try:
                services.event_save(
                    event=event,
                    user=request.user,
                    save_related=lambda: event.articles.add(article),
                    reason=f"Linked the story “{article.title[:200]}”",
                )
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, f"“{article}” now reports {event}.", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Link “{article}” to an event",
            "article": article,
            "form": form,
            "opts": self.model._meta,
            "add_url": add_event_url(article),
        }
        return TemplateResponse(request, "admin/tracker/link_article.html", context)


def add_event_url(article):
    return reverse("admin:tracker_measureevent_add") + "?" + urlencode({"articles": article.pk})


class TrackerArticleAdmin(ArticleAdmin):
    """The article's admin page with the measure events the story reports, and the two ways to add one."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets.append(("Tracker", {"fields": ["tracker_events"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "tracker_events"]

    @admin.display(description="measures in this story")
    def tracker_events(self, obj):
        events = MeasureEvent.objects.filter(articles=obj).select_related("measure") if obj.pk else []
        listed = format_html_join(
            "",
            '<li><a href="{}">{}</a></li>',
            ((reverse("admin:tracker_measureevent_change", args=[event.pk]), str(event)) for event in events),
        )
        return format_html(
            '<ul>{}</ul><p><a class="button" href="{}">Link to an event</a> '
            '<a class="button" href="{}">Record a new event</a></p>',
            listed or format_html("<li>{}</li>", "None yet."),
            reverse("admin:tracker_measureevent_link_article", args=[obj.pk]),
            add_event_url(obj),
        )


def _article_admin_with_tracker():
    if admin.site.is_registered(Article):
        admin.site.unregister(Article)
    admin.site.register(Article, TrackerArticleAdmin)


_article_admin_with_tracker()
