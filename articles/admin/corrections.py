"""Corrections in the admin: inline on the article (editors only) and the list of them all; and
who added a row through an inline (corrections, dated ownership)."""

from django.contrib import admin

from articles import services
from articles.models import Correction


class RecordsWhoAddsRows:
    """For a ModelAdmin: rows added through its inlines record the user who added them, in the
    field `added_by` names for the inline's model."""

    added_by = {}

    def save_formset(self, request, form, formset, change):
        if field := self.added_by.get(formset.model):
            for row in formset.forms:
                if row.instance.pk is None:
                    setattr(row.instance, field, request.user)
        super().save_formset(request, form, formset, change)


class CorrectionInline(admin.StackedInline):
    """Editors attach corrections to published articles; readers see them at once, with the
    article's "Updated" time moved. Writers see them read-only."""

    model = Correction
    extra = 0
    fields = ["kind", "date", "text", "material"]
    verbose_name_plural = (
        "Corrections, clarifications and updates (published articles only; shown to readers at once)"
    )

    def has_add_permission(self, request, obj=None):
        return services.can_publish(request.user) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return services.can_publish(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return services.can_publish(request.user) and super().has_delete_permission(request, obj)


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Every correction, clarification and update on the site, newest first. Saving one goes through
    its article's write path: the article keeps a revision and its "Updated" time moves; a material
    one is mentioned in the next daily update."""

    list_display = ["article", "kind", "date", "material", "created_by"]
    list_filter = ["kind", "material"]
    search_fields = ["text", "article__title"]
    autocomplete_fields = ["article"]
    date_hierarchy = "date"
    list_select_related = ["article", "created_by"]
    fields = ["article", "kind", "date", "text", "material"]

    def has_add_permission(self, request):
        return services.can_publish(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return services.can_publish(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return services.can_publish(request.user) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        services.correction_save(correction=obj, user=request.user)

    def delete_model(self, request, obj):
        services.correction_delete(correction=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for correction in queryset:
            services.correction_delete(correction=correction, user=request.user)
