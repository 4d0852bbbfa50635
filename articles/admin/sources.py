"""Sources and disclaimers in the admin: dated ownership, the articles whose published disclaimer
no longer matches a source's current facts (refreshed one by one or together), and the site-wide
default disclaimer."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from articles import selectors, services
from articles.models import Disclaimer, Source, SourceOwnership
from articles.revisions.compare import text_diff

OUTDATED_SHOWN = 10


class SourceOwnershipInline(admin.TabularInline):
    """The dated history behind the owner and controller above, shown on the source's public page."""

    model = SourceOwnership
    extra = 0
    fields = ["since", "owner", "controlled_by", "note", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]
    verbose_name_plural = (
        "Ownership history (a new row is added whenever the owner or controller above changes; "
        "correct dates here)"
    )


class SourceAdminForm(forms.ModelForm):
    ownership_since = forms.DateField(
        required=False,
        widget=AdminDateWidget,
        label="Ownership changed on",
        help_text=(
            "When you change the owner or controller, the date from which the new one holds (empty: today). "
            "It is recorded in the ownership history."
        ),
    )

    class Meta:
        model = Source
        fields = "__all__"


class SourceAdminMixin:
    """For SourceAdmin: date ownership changes, and list and refresh outdated article disclaimers."""

    form = SourceAdminForm
    inlines = [SourceOwnershipInline]
    added_by = {SourceOwnership: "recorded_by"}
    readonly_fields = ["outdated_disclaimers"]

    def get_urls(self):
        return [
            path(
                "<path:object_id>/disclaimers/",
                self.admin_site.admin_view(self.disclaimers_view),
                name="articles_source_disclaimers",
            ),
        ] + super().get_urls()

    def save_model(self, request, obj, form, change):
        obj.ownership_since = form.cleaned_data.get("ownership_since")
        obj.ownership_recorded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="articles with an outdated disclaimer")
    def outdated_disclaimers(self, obj):
        if obj is None or obj.pk is None:
            return "None yet."
        outdated = selectors.articles_with_outdated_disclaimer(obj)
        if not outdated:
            return (
                "None: every published article led by this source carries the disclaimer "
                "its current facts give."
            )
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a></li>',
            (
                (reverse("admin:articles_article_change", args=[a.pk]), a.title)
                for a in outdated[:OUTDATED_SHOWN]
            ),
        )
        return format_html(
            "{} published article(s) led by this source went out with a disclaimer that its current facts "
            'would now write differently. <ul>{}</ul><a class="button" href="{}">Compare and refresh</a>',
            len(outdated),
            items,
            reverse("admin:articles_source_disclaimers", args=[obj.pk]),
        )

    def disclaimers_view(self, request, object_id):
        source = self.get_object(request, unquote(object_id))
        if source is None:
            raise Http404("No such source.")
        if not self.has_view_or_change_permission(request, source):
            raise PermissionDenied
        if request.method == "POST":
            return self._refresh(request, source)
        site_default = Disclaimer.objects.site_default()
        rows = []
        for article in selectors.articles_with_outdated_disclaimer(source):
            published, current = text_diff(
                article.published_disclaimer, article.current_disclaimer_text(site_default=site_default)
            )
            rows.append({"article": article, "published": published, "current": current})
        return TemplateResponse(
            request,
            "admin/articles/source/outdated_disclaimers.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": source,
                "title": f"Outdated disclaimers: {source}",
                "rows": rows,
                "can_refresh": services.can_publish(request.user),
            },
        )

    def _refresh(self, request, source):
        url = reverse("admin:articles_source_disclaimers", args=[source.pk])
        outdated = {article.pk: article for article in selectors.articles_with_outdated_disclaimer(source)}
        chosen = (
            outdated.values()
            if "refresh_all" in request.POST
            else [
                outdated[pk]
                for pk in map(int, filter(str.isdigit, request.POST.getlist("article")))
                if pk in outdated
            ]
        )
        if not chosen:
            self.message_user(request, "Tick the articles to refresh, or refresh them all.", messages.WARNING)
            return HttpResponseRedirect(url)
        try:
            changed = services.articles_refresh_disclaimer(user=request.user, articles=chosen)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(url)
        self.message_user(request, f"Refreshed the disclaimer of {changed} article(s).", messages.SUCCESS)
        return HttpResponseRedirect(url)


class DisclaimerAdminForm(forms.ModelForm):
    """The site-wide default is a checkbox here; ticking it moves the default from any other disclaimer."""

    site_default = forms.BooleanField(
        required=False,
        label="Site-wide default",
        help_text=Disclaimer._meta.get_field("is_site_default").help_text,
    )

    class Meta:
        model = Disclaimer
        fields = ["title", "text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site_default"].initial = self.instance.is_site_default
