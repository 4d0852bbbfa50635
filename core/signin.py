"""How long a staff sign-in guesser waits: the lock falls on the guesser, never on the account.

django-axes counts wrong passwords per address and account together, and per address alone (one
address trying many accounts); it never counts an account alone, so wrong passwords sent from any
number of other addresses leave the account's owner free to sign in from theirs. Each wrong password
past the limit doubles the wait of the address that sent it, from STAFF_LOGIN_COOLOFF_MINUTES up to
STAFF_LOGIN_COOLOFF_MAX_HOURS, and every attempt's lock expires on its own clock (axes' attempt
expiration), so a lock one client earned is never cut short by another's sign-in.
"""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def cool_off(request=None):
    """The wait before the client of `request` may try again (django-axes' AXES_COOLOFF_TIME)."""
    base = timedelta(minutes=settings.STAFF_LOGIN_COOLOFF_MINUTES)
    ceiling = timedelta(hours=settings.STAFF_LOGIN_COOLOFF_MAX_HOURS)
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return base
    failures = (
        AccessAttempt.objects.filter(ip_address=address).aggregate(total=Sum("failures_since_start"))["total"]
        or 0
    )
    beyond = max(0, failures - settings.AXES_FAILURE_LIMIT)
    if beyond >= 32:  # doubled past any ceiling already
        return ceiling
    return min(base * 2**beyond, ceiling)
