"""Background work of core, through the django-tasks API: the mail that unlocks staff sign-in."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from core.site import absolute_url, new_message_id

logger = logging.getLogger(__name__)


def enqueue(task_, **kwargs):
    try:
        task_.enqueue(**kwargs)
    except Exception as error:  # noqa: BLE001 - the owner can ask again; the page must not fail
        logger.warning("Could not queue %s: %s", task_.name, type(error).__name__)


@task()
def send_unlock_link(*, username, address):
    """Mail the account named `username`, if it is an active staff account with an address, the link
    that unlocks sign-in from `address`."""
    from core.unlock import UNLOCK_LINK_MINUTES, staff_account, unlock_token

    user = staff_account(username)
    if user is None:
        return
    url = absolute_url(reverse("signin-unlock", args=[unlock_token(user, address)]))
    body = render_to_string(
        "admin/unlock_email.txt",
        {"url": url, "minutes": UNLOCK_LINK_MINUTES, "site_name": settings.SITE_NAME, "address": address},
    )
    EmailMessage(
        subject=f"Unlock sign-in to the {settings.SITE_NAME} desk",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Message-ID": new_message_id()},
    ).send()
