"""The site's error pages (wired as handler404 and handler500 in the project's urls)."""

from django.shortcuts import render

from core import outages


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No database access here: the error may be the database.
    if error := outages.current_outage():
        return outages.outage_response(request, error)
    return render(request, "500.html", status=500)
