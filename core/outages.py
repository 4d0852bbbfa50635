"""What readers get while the database is down: a 503 page with Retry-After, not a 500.

A database outage makes every request fail the same way, so it is logged as one line a second
rather than one traceback per request (see DatabaseOutageLogFilter in the LOGGING setting).
"""

import logging
import sys
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER = 30  # seconds
# A request that failed on the database carries this flag for the log filter.
FLAG = "newsroom_database_unavailable"


def is_database_outage(error):
    return isinstance(error, (OperationalError, InterfaceError))


def outage_response(request, error):
    """The 503 answer; renders without touching the database."""
    setattr(request, FLAG, True)
    _log_outage(error)
    response = HttpResponse(render_to_string("503.html", {"SITE_NAME": settings.SITE_NAME}), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Answers a view (or its template) that failed on the database with the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            return outage_response(request, exception)
        return None


def current_outage():
    """The database error being handled right now, if that is what failed (for the 500 handler,
    which Django calls for errors raised outside views, in middleware)."""
    error = sys.exc_info()[1]
    return error if is_database_outage(error) else None


class _Throttle:
    def __init__(self, interval=1.0):
        self.interval, self.last = interval, 0.0

    def ready(self):
        now = time.monotonic()
        if now - self.last < self.interval:
            return False
        self.last = now
        return True


_log_throttle = _Throttle()


def _log_outage(error):
    if _log_throttle.ready():
        logger.error(
            "Database unavailable; answering 503: %s",
            str(error).strip().splitlines()[0] if str(error) else type(error).__name__,
        )


class DatabaseOutageLogFilter(logging.Filter):
    """On django.request: drop the per-request lines of a database outage (outages log their own,
    one a second)."""

    def filter(self, record):
        request = getattr(record, "request", None)
        return not getattr(request, FLAG, False)
