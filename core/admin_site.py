"""The desk's admin site: staff sign in through django-two-factor-auth, and the accounts that can
publish (Editors) or do anything (superusers) must prove a second factor when STAFF_TWO_FACTOR is
"required". Writers may add one from their account page."""

import logging
from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import DataError
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import user_has_device

logger = logging.getLogger(__name__)

# What a view raises when an address or form carries a value no row could have: an id that is not
# a number or too large for the database, a field name that does not exist. Django's own admin
# views catch most of these; views added by other libraries do not.
MALFORMED = (ValueError, TypeError, OverflowError, FieldDoesNotExist, ValidationError, DataError)

SECOND_FACTOR_GROUP = "Editors"

# What keeps the machinery running rather than the desk's work: grouped last on the admin index, under
# "Operations", for administrators. Editors see there only what they act on (a subscriber mail that
# did not go, which they send again); the rest stays reachable from the pages that link to it (a
# daily update's deliveries, the health page) but does not crowd Articles and Sources.
OPERATIONS = (
    "django_tasks_database.dbtaskresult",
    "newsletter.workerheartbeat",
    "newsletter.delivery",
    "newsletter.subscribermail",
)
EDITORS_ACT_ON = ("newsletter.subscribermail",)


def second_factor_required(user):
    """Whether `user` may use the admin only after proving a second factor."""
    if settings.STAFF_TWO_FACTOR != "required":
        return False
    return user.is_superuser or user.groups.filter(name=SECOND_FACTOR_GROUP).exists()


def second_factor_missing(request):
    user = request.user
    return user.is_authenticated and not user.is_verified() and second_factor_required(user)


class NewsroomAdminSite(admin.AdminSite):
    # "Critical Minerals Desk" is a desk already; another publication's name gets the word.
    site_header = (
        settings.SITE_NAME if settings.SITE_NAME.lower().endswith("desk") else f"{settings.SITE_NAME} desk"
    )
    site_title = settings.SITE_NAME
    index_title = "Newsroom"

    def admin_view(self, view, cacheable=False):
        """Every admin view, our own and other libraries', answers malformed addresses and filters with
        400 and a missing object with 404, never a 500. The response is rendered here so a lazy query
        in a template fails inside this guard too."""
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def guarded(request, *args, **kwargs):
            try:
                response = inner(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                    response.render()
                return response
            except ObjectDoesNotExist as error:
                raise Http404(str(error)) from error
            except MALFORMED as error:
                logger.warning(
                    "Admin %s refused malformed input: %s: %s", request.path, type(error).__name__, error
                )
                return render(
                    request, "admin/bad_request.html", {"site_header": self.site_header}, status=400
                )

        return guarded

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps
        shown = OPERATIONS if request.user.is_superuser else EDITORS_ACT_ON
        operations = []
        for app in apps:
            kept = []
            for model in app["models"]:
                name = f"{app['app_label']}.{model['object_name'].lower()}"
                if name not in OPERATIONS:
                    kept.append(model)
                elif name in shown:
                    operations.append(model)
            app["models"] = kept
        apps = [app for app in apps if app["models"]]
        if operations:
            apps.append(
                {
                    "name": "Operations",
                    "app_label": "operations",
                    "app_url": "",
                    "has_module_perms": True,
                    "models": sorted(operations, key=lambda model: model["name"]),
                }
            )
        return apps

    def has_permission(self, request):
        return super().has_permission(request) and not second_factor_missing(request)

    def login(self, request, extra_context=None):
        """Sign-in happens on the two-factor login page; an Editor signed in with a password only is
        sent to set up, or prove, the second factor."""
        next_url = request.POST.get(REDIRECT_FIELD_NAME, request.GET.get(REDIRECT_FIELD_NAME))
        if not next_url or not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
        if request.user.is_authenticated and request.user.is_staff and second_factor_missing(request):
            if not user_has_device(request.user):
                return redirect("two_factor:setup")
        return redirect_to_login(next_url)


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer once sign-in is locked: the page says how long, and how to get unlocked."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(request, "admin/locked_out.html", {"cooloff_minutes": minutes}, status=429)
