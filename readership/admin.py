"""The editors' readership page: the rollups of a period as charts with their tables and CSVs, in place
of a list of rows. Staff see it with the "Can see the readership page" permission (Editors have it)."""

import csv

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse

from readership import charts, report
from readership.models import ArticleReads

PERMISSION = "readership.view_readership"


@admin.register(ArticleReads)
class ReadershipAdmin(admin.ModelAdmin):
    """Rollups are written by the flush job only: the admin reads them, never edits them."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(PERMISSION)

    def has_module_permission(self, request):
        return request.user.has_perm(PERMISSION)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        period = request.GET.get("period", "7")
        if period not in report.PERIODS:
            raise Http404("No such period.")
        figures = report.kept_report(period)
        tables = {table.slug: table for table in figures["tables"]}
        wanted = request.GET.get("csv")
        if wanted is not None:
            if wanted not in tables:
                raise Http404("No such table.")
            return csv_response(
                tables[wanted], f"readership-{wanted}-{figures['first']}-{figures['last']}.csv"
            )
        charted = []
        for table in figures["tables"]:
            marks, height = charts.columns(table) if table.slug == "days" else charts.bars(table)
            charted.append({"table": table, "marks": marks, "height": height, "width": charts.WIDTH})
        context = {
            **self.admin_site.each_context(request),
            "title": "Readership",
            "opts": self.model._meta,
            "period": period,
            "periods": [(key, label) for key, (label, _days) in report.PERIODS.items()],
            "first": figures["first"],
            "last": figures["last"],
            "made_at": figures["made_at"],
            "charts": charted,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "readership/admin/report.html", context)


def csv_response(table, filename):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    with_readers = any(row.readers is not None for row in table.rows)
    first, second = (name.lower() for name in table.columns)
    writer.writerow(["name", first, *([second] if with_readers else [])])
    for row in table.rows:
        # A name an editor opens in a spreadsheet is never read as a formula.
        label = f"'{row.label}" if row.label[:1] in ("=", "+", "-", "@") else row.label
        writer.writerow([label, row.views, *([row.readers] if with_readers else [])])
    return response
