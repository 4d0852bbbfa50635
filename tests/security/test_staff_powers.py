"""The second factor guards every staff power: a password-only session of an account that needs one has
none anywhere, the need follows permissions however granted, and enrolment needs an invitation."""

import re

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from comments.models import Comment
from core.enrolment import invitation_url
from tests.core.test_staff_signin import current_code, send_code, sign_in
from tests.support import factories as f
from tests.support import factories_comments as cf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def second_factor_required(settings):
    settings.STAFF_TWO_FACTOR = "required"


def staff_urls(draft):
    """Every staff-only address: each admin page of every registered model, the admin's index, the
    draft's preview, the second factor's set-up and recovery codes."""
    urls = [reverse("admin:index"), draft.get_preview_url(), reverse("two_factor:setup")]
    urls.append(reverse("two_factor:qr"))
    urls.append(reverse("two_factor:backup_tokens"))
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        urls.append(reverse("admin:%s_%s_changelist" % info))
        urls.append(reverse("admin:%s_%s_add" % info))
    return urls


def assert_no_staff_power(client, draft):
    for url in staff_urls(draft):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert draft.title not in response.content.decode(), url
    article = f.article(status="published")
    response = client.post(
        reverse("comments:post", args=[article.pk]),
        cf.post_data(article, author_name="Desk", author_email="desk@example.com", body_text="Trust me."),
    )
    assert response.status_code == 302
    comment = Comment.objects.get(article=article)
    assert comment.user is None and comment.status == Comment.Status.PENDING
    assert not comment.is_moderator


def test_an_unenrolled_editors_password_session_has_no_staff_power_anywhere(client):
    """An Editor signed in with the password alone reads no draft, reaches no admin page, sets up no
    device, and comments as any reader would: held, unbadged."""
    f.user(username="ed", group="Editors")
    draft = f.article(status="draft", title="Unannounced quota cut")
    assert sign_in(client, "ed").status_code == 302
    assert_no_staff_power(client, draft)


def test_a_publishing_permission_granted_outside_any_group_needs_the_second_factor(client):
    """A staff account given the publishing permission directly, in no group, is treated as an Editor:
    nothing with the password alone, everything once the second factor is proved."""
    user = f.user(username="solo")
    user.user_permissions.add(Permission.objects.get(codename="publish_article"))
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    draft = f.article(status="draft", title="Unannounced quota cut")
    assert sign_in(client, "solo").status_code == 200  # asked for the code
    assert_no_staff_power(client, draft)
    client.logout()

    sign_in(client, "solo")
    assert send_code(client, current_code(device)).status_code == 302
    assert draft.title in client.get(draft.get_preview_url()).content.decode()
    article = f.article(status="published")
    post_data = cf.post_data(article, body_text="From the desk.")
    client.post(reverse("comments:post", args=[article.pk]), post_data)
    reply = Comment.objects.get(article=article, user=user)
    assert reply.status == Comment.Status.APPROVED and reply.is_moderator


@pytest.mark.parametrize("codename", ["change_comment", "change_dailyupdate", "change_user"])
def test_moderating_sending_and_managing_users_need_it_too(client, codename):
    """Moderating comments, sending the daily update and managing accounts each make the second factor
    required, granted directly."""
    user = f.user(username="solo")
    user.user_permissions.add(Permission.objects.get(codename=codename))
    draft = f.article(status="draft", title="Unannounced quota cut")
    sign_in(client, "solo")
    assert client.get(draft.get_preview_url()).status_code == 302


def test_writers_who_only_propose_keep_working_with_a_password(client):
    """Writers cannot publish, moderate, mail or manage users, so their password session previews drafts."""
    f.user(username="wr", group="Writers")
    draft = f.article(status="draft", title="Unannounced quota cut")
    sign_in(client, "wr")
    assert draft.title in client.get(draft.get_preview_url()).content.decode()


def test_readers_and_anonymous_visitors_get_404_from_a_preview_not_the_admins_address(client, settings):
    """The preview does not lead strangers to the admin's sign-in page."""
    draft = f.article(status="draft")
    response = client.get(draft.get_preview_url())
    assert response.status_code == 404 and "Location" not in response
    assert settings.ADMIN_PATH not in response.content.decode()
    client.force_login(f.user(staff=False))
    assert client.get(draft.get_preview_url()).status_code == 404


def invitation_path(user):
    return re.sub(r"^https?://[^/]+", "", invitation_url(user))


def test_a_password_alone_cannot_set_up_the_first_device(client):
    """Whoever holds only the password is refused the set-up and its QR code, and is told why."""
    f.user(username="ed", group="Editors")
    sign_in(client, "ed")
    response = client.get(reverse("two_factor:setup"))
    assert response.status_code == 403 and "needs an invitation" in response.content.decode()
    assert client.get(reverse("two_factor:qr")).status_code == 403
    assert not TOTPDevice.objects.exists()


def test_an_invitation_works_once_for_its_own_account(client, capsys):
    """The administrator's link opens the set-up for the invited account's session only, and no longer
    once a device exists."""
    editor = f.user(username="ed", group="Editors")
    other = f.user(username="other", group="Editors")
    call_command("invite_second_factor", "ed")
    link = re.sub(r"^https?://[^/]+", "", capsys.readouterr().out.strip())

    sign_in(client, "other")
    assert client.get(link).status_code == 403
    assert client.get(reverse("two_factor:setup")).status_code == 403
    client.logout()

    sign_in(client, "ed")
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == reverse("two_factor:setup")
    assert client.get(reverse("two_factor:setup")).status_code == 200
    TOTPDevice.objects.create(user=editor, name="default", confirmed=True)  # the set-up completes
    assert client.get(reverse("two_factor:setup")).status_code == 403
    assert client.get(link).status_code == 403
    assert other.totpdevice_set.count() == 0


def test_an_invitation_expires(client, settings):
    """An invitation older than STAFF_INVITATION_HOURS opens nothing."""
    settings.STAFF_INVITATION_HOURS = 24
    user = f.user(username="ed", group="Editors")
    link = invitation_path(user)
    with time_machine.travel(timezone.now() + timezone.timedelta(hours=25)):
        sign_in(client, "ed")
        assert client.get(link).status_code == 403
