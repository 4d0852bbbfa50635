"""Who holds staff powers in a request: the one rule every staff-only place asks.

A staff power is anything the public does not get: the admin, previews of drafts, a comment signed
with the moderator badge that skips moderation and rate limits, any staff view or API added later.
An account must prove a second factor before using any of them when STAFF_TWO_FACTOR is "required"
and the account can do something that matters (the permissions in STAFF_TWO_FACTOR_PERMISSIONS:
publish, moderate, send mail, manage users; superusers can do everything). The rule follows the
permissions themselves, however they were granted (a group of any name, or the account directly).

`has_staff_powers` reads the user a request carries: django-otp's middleware has marked it verified
or not for this session. A user loaded any other way has proved nothing in this request.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import Http404


def second_factor_required(user):
    """Whether `user` may use staff powers only after proving a second factor."""
    if settings.STAFF_TWO_FACTOR != "required":
        return False
    return user.is_superuser or any(user.has_perm(name) for name in settings.STAFF_TWO_FACTOR_PERMISSIONS)


def verified(user):
    """True when the session behind `user` has passed the second factor (django-otp's mark)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def second_factor_missing(user):
    """A signed-in account that must prove a second factor and has not in this session."""
    return bool(user and user.is_authenticated and not verified(user) and second_factor_required(user))


def has_staff_powers(user):
    """A signed-in, active member of the desk whose session has passed every check its account needs:
    moderator badge, no rate limits, previews of drafts, never a cached page."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and not second_factor_missing(user)
    )


def staff_view(view):
    """A view only staff with their powers may use. Anyone else signed out, or signed in without staff
    rights, gets the site's 404 (the admin's address is not given away); a staff member who has not
    yet passed the second factor is sent to sign in to do so."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        user = request.user
        if has_staff_powers(user):
            return view(request, *args, **kwargs)
        if user.is_authenticated and user.is_active and user.is_staff:
            return redirect_to_login(request.get_full_path(), "admin:login", REDIRECT_FIELD_NAME)
        raise Http404("No such page.")

    return guarded
