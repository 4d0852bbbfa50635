"""The site's error pages (wired as handler404 and handler500 in the project's urls), and the
health check load balancers ask."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from core import outages


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No database access here: the error may be the database.
    if error := outages.current_outage():
        return outages.outage_response(request, error)
    return render(request, "500.html", status=500)


@never_cache
def health(request):
    """The app server is up and answering: no database, no cache, no template (load balancers poll it)."""
    return HttpResponse("ok", content_type="text/plain")
