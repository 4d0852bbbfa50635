"""Readership on an article's admin page: its views over its first 48 hours, for staff who may see the
readership page. The article's change form includes readership/admin/first_hours.html, so articles
itself knows nothing of readership."""

from django import template
from django.template.loader import render_to_string

from readership import charts, report
from readership.admin import PERMISSION

register = template.Library()


@register.simple_tag(takes_context=True)
def first_hours_panel(context, article):
    request = context.get("request")
    if (
        article is None
        or article.publish_at is None
        or request is None
        or not request.user.has_perm(PERMISSION)
    ):
        return ""
    table = report.first_hours(article)
    marks, height = charts.columns(table, height=90)
    return render_to_string(
        "readership/admin/first_hours_panel.html",
        {
            "table": table,
            "chart": {"marks": marks, "height": height, "width": charts.WIDTH},
            "total": table.total,
            "busiest": max(table.rows, key=lambda row: row.views) if table.total else None,
        },
    )
