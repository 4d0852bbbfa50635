"""Unlocking staff sign-in from a locked address, with a link mailed to the account's own address.

core.signin locks the address that guessed, never the account; an owner who locked their own address
(or shares one with a guesser) asks from the lockout page for a link. The answer is the same whatever
the name typed, and the mail goes from the task queue, so neither the page nor its timing says which
accounts exist. The link is signed for that account and that address, lasts UNLOCK_LINK_MINUTES, and
its page unlocks with a POST (mail scanners follow GETs): the mailbox, not the password, is the proof.
"""

import logging

from axes.utils import reset
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from core import clients, ratelimit

logger = logging.getLogger(__name__)

SALT = "core.unlock"
UNLOCK_LINK_MINUTES = 60
REQUESTS_PER_HOUR = 5  # per network: a link asked for more often than this is not the owner's need


def unlock_token(user, address):
    return signing.dumps({"u": user.pk, "a": address}, salt=SALT)


def staff_account(username):
    """The active staff account named `username` that has an address to mail, or None."""
    return (
        get_user_model()
        .objects.filter(username=username[:150], is_active=True, is_staff=True)
        .exclude(email="")
        .first()
    )


@never_cache
@csrf_protect
def request_link(request):
    """The lockout page's form: mail the account a link that unlocks this address."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    network = clients.client_network(request)
    if limited := ratelimit.limited(
        request,
        "signin-unlock",
        network,
        limit=REQUESTS_PER_HOUR,
        window=3600,
        message="Many unlock links have been asked for from your network in the last hour.",
    ):
        return limited
    username = request.POST.get("username", "").strip()
    if username and "\x00" not in username:
        from core import tasks  # the task module imports this one

        transaction.on_commit(
            lambda: tasks.enqueue(tasks.send_unlock_link, username=username, address=network)
        )
    return render(request, "admin/unlock_sent.html", {"minutes": UNLOCK_LINK_MINUTES})


@never_cache
@csrf_protect
def unlock(request, token):
    """The mailed link: a page with one button; its POST lifts the lock on the address that asked."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=UNLOCK_LINK_MINUTES * 60)
    except signing.BadSignature:
        return render(request, "admin/unlock_invalid.html", status=400)
    if request.method == "POST":
        lifted = reset(ip=payload["a"])
        logger.info(
            "Sign-in unlocked by mailed link for account %s (%d attempts cleared)", payload["u"], lifted
        )
        return render(request, "admin/unlock_done.html")
    return render(request, "admin/unlock_confirm.html")
