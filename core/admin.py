"""The site's editable settings (logo, article image) in the admin: one row, edited in place."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from core.models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """One row: editors change it, nobody adds a second or deletes the first."""

    fields = ["logo", "logo_in_use", "article_image", "article_image_in_use"]
    readonly_fields = ["logo_in_use", "article_image_in_use"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # The list of one row is the row itself.
        if SiteSettings.objects.exists():
            return redirect(reverse("admin:core_sitesettings_change", args=[1]))
        return super().changelist_view(request, extra_context)

    @admin.display(description="logo in use")
    def logo_in_use(self, obj):
        return _preview(obj.publisher_logo())

    @admin.display(description="image in use")
    def article_image_in_use(self, obj):
        return _preview(obj.default_article_image())


def _preview(picture):
    return format_html(
        '<img src="{}" alt="" style="max-width:240px;height:auto"> {} × {} px',
        picture.url,
        picture.width,
        picture.height,
    )
