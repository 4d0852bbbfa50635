"""The admin's view of imports: each run's report, read-only, and the old addresses it keeps answering."""

from django.contrib import admin

from importer.models import ImportRun, OldAddress


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "export_file", "site", "complete"]
    list_filter = ["complete"]
    readonly_fields = ["started_at", "finished_at", "export_file", "site", "complete", "figures", "report"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OldAddress)
class OldAddressAdmin(admin.ModelAdmin):
    list_display = ["path", "article", "section", "mineral", "country"]
    search_fields = ["path"]
    raw_id_fields = ["article"]
    list_select_related = ["article", "section", "mineral", "country"]
