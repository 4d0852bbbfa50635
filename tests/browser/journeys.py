"""What the browser journeys share: the desk's groups, staff sign-in with the second factor, reader
contexts, and the screenshot each journey leaves of its last page (docs/screenshots/journeys/)."""

import os
from pathlib import Path

from django.contrib.auth.models import Group, Permission
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "journeys"
PASSWORD = "a-long-test-password"  # tests.support.factories.user's
LOGIN = "/admin/account/login/"

# What the migrations give each group (articles 0002, 0008 and 0012, comments 0002, newsletter 0002
# and 0004), rebuilt here: a transactional flush by an earlier test may have removed the groups.
WRITER_PERMISSIONS = [
    "add_article",
    "change_article",
    "view_article",
    "add_citation",
    "change_citation",
    "delete_citation",
    "view_citation",
    "view_section",
    "view_author",
    "add_source",
    "change_source",
    "view_source",
    "view_disclaimer",
    "change_mineral",
    "view_mineral",
    "change_country",
    "view_country",
    "view_correction",
]


def desk_group(name):
    """The Editors or Writers group with the permissions the migrations give it."""
    group, _ = Group.objects.get_or_create(name=name)
    if name == "Editors":
        permissions = Permission.objects.filter(
            content_type__app_label__in=["articles", "comments", "newsletter"]
        )
    else:
        permissions = Permission.objects.filter(
            content_type__app_label="articles", codename__in=WRITER_PERMISSIONS
        )
    group.permissions.set(permissions)
    return group


def authenticator(user):
    """A confirmed authenticator-app device for `user`, as the set-up page leaves it."""
    return TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def current_code(device):
    """The six digits the authenticator app shows now."""
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )


def watch(page):
    """Record console errors and uncaught exceptions on `page` (page.problems)."""
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    return page


def new_page(browser, **options):
    """A page in a browser context of its own (its own cookies), watched for errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    return watch(context.new_page())


def sign_in(page, live_server, user, *, device=None):
    """Sign `user` in on the two-factor sign-in page: the password, then the code when they have a device."""
    page.goto(live_server.url + LOGIN)
    page.fill("[name=auth-username]", user.username)
    page.fill("[name=auth-password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    if device is not None:
        page.locator("[name=token-otp_token]").fill(current_code(device))
        page.locator("form button[type=submit]").last.click()
    page.wait_for_url(live_server.url + "/admin/")
    return page


def screenshot(page, journey):
    """Keep the journey's last page as docs/screenshots/journeys/<journey>.png, when asked for with
    NEWSROOM_SCREENSHOTS=1 (as the reader's layout tests do), so a test run leaves the checkout clean."""
    if os.environ.get("NEWSROOM_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{journey}.png"))
