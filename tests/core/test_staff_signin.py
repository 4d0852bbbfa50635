"""Staff sign-in resists guessing: lockouts by account and address, and a second factor for Editors and
superusers."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.middleware import admin_policy, trusted_import_map_hashes
from tests.support import factories as f

pytestmark = pytest.mark.django_db

LOGIN = "/admin/account/login/"
PASSWORD = "a-long-test-password"


@pytest.fixture
def second_factor_required(settings):
    settings.STAFF_TWO_FACTOR = "required"


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(
        LOGIN,
        {
            "login_view-current_step": "auth",
            "auth-username": username,
            "auth-password": password,
        },
        **extra,
    )


def send_code(client, code, step="token"):
    return client.post(LOGIN, {"login_view-current_step": step, f"{step}-otp_token": code})


def current_code(device):
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )


def test_admin_login_page_is_the_two_factor_sign_in(client):
    """The admin's own login address leads to the two-factor sign-in page."""
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert client.get(LOGIN).status_code == 200


def test_wrong_passwords_lock_the_account_with_a_clear_message(client, settings):
    """After the failure limit the account is refused, even with the right password, and told for how long."""
    settings.AXES_FAILURE_LIMIT = 3
    f.user(username="desk")
    for _ in range(3):
        sign_in(client, "desk", "wrong password", REMOTE_ADDR="198.51.100.1")
    # Another address, the right password: the account itself is locked.
    locked = sign_in(client, "desk", REMOTE_ADDR="198.51.100.2")
    assert locked.status_code == 429
    assert "Sign-in is locked for now" in locked.content.decode() and "15 minutes" in locked.content.decode()


def test_one_address_guessing_many_accounts_is_locked_out(client, settings):
    """Wrong passwords for different accounts from one address lock that address."""
    settings.AXES_FAILURE_LIMIT = 3
    f.user(username="real-editor")
    for name in ("alice", "bob", "carol"):
        sign_in(client, name, "guess", REMOTE_ADDR="203.0.113.9")
    assert sign_in(client, "real-editor", REMOTE_ADDR="203.0.113.9").status_code == 429
    assert sign_in(client, "real-editor", REMOTE_ADDR="203.0.113.10").status_code == 302


def test_an_administrator_unlocks_an_account(client, settings):
    """`manage.py axes_reset_username` lifts the lock at once."""
    settings.AXES_FAILURE_LIMIT = 2
    f.user(username="desk")
    for _ in range(2):
        sign_in(client, "desk", "wrong")
    assert sign_in(client, "desk").status_code == 429
    call_command("axes_reset_username", "desk", stdout=open("/dev/null", "w"))
    assert sign_in(client, "desk").status_code == 302


def test_an_editor_without_a_second_factor_is_sent_to_set_one_up(client, second_factor_required):
    """With the second factor required, an Editor signed in by password reaches only the set-up page."""
    f.user(username="ed", group="Editors")
    assert sign_in(client, "ed").status_code == 302
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert follow.status_code == 302 and follow["Location"] == reverse("two_factor:setup")
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 302


def test_an_editor_signs_in_with_a_code_from_the_authenticator(client, second_factor_required):
    """An Editor with a device gets the admin only after a valid code; a wrong code is refused."""
    editor = f.user(username="ed", group="Editors")
    device = TOTPDevice.objects.create(user=editor, name="default", confirmed=True)
    assert sign_in(client, "ed").status_code == 200  # the code step
    assert client.get(reverse("admin:index")).status_code == 302
    assert send_code(client, "000000" if current_code(device) != "000000" else "111111").status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302
    # django-otp slows guessing down: each wrong code doubles the wait before the next is checked.
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttle_reset()
    assert send_code(client, current_code(device)).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_recovery_code_signs_in_once(client, second_factor_required):
    """A recovery code replaces a lost phone, and only once."""
    editor = f.user(username="ed", superuser=True)
    TOTPDevice.objects.create(user=editor, name="default", confirmed=True)
    backup = StaticDevice.objects.create(user=editor, name="backup")
    backup.token_set.create(token="recover1")
    sign_in(client, "ed")
    assert send_code(client, "recover1", step="backup").status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    client.logout()
    sign_in(client, "ed")
    assert send_code(client, "recover1", step="backup").status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


def test_writers_may_work_without_a_second_factor(client, second_factor_required):
    """Writers cannot publish, so a password is enough for them (they may add a second factor)."""
    f.user(username="wr", group="Writers")
    sign_in(client, "wr")
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 200


def test_staff_reach_the_second_factor_set_up_from_the_admin(client):
    """The admin's user links lead to the two-factor page, where a device and recovery codes are set up."""
    client.force_login(f.user(group="Editors"))
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("two_factor:profile") in page
    assert client.get(reverse("two_factor:setup")).status_code == 200


def test_admin_policy_allows_no_inline_script_but_the_editors_import_map(client):
    """The admin's CSP has no 'unsafe-inline' for scripts; the editor's import map is allowed by its hash."""
    client.force_login(f.user(superuser=True))
    response = client.get(reverse("admin:articles_article_add"))
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split("; ") if part.startswith("script-src"))
    assert "unsafe-inline" not in script_src and "'sha256-" in script_src
    assert 'type="importmap"' in response.content.decode()


def test_an_import_map_pointing_elsewhere_is_not_trusted():
    """Only import maps that map to this site's static files get a hash; anything else stays blocked."""
    ours = '<script type="importmap">{"imports": {"editor": "/static/editor.js"}}</script>'
    theirs = '<script type="importmap">{"imports": {"editor": "https://evil.example/x.js"}}</script>'
    climbing = '<script type="importmap">{"imports": {"editor": "/static/../media/x.js"}}</script>'
    assert len(trusted_import_map_hashes(ours)) == 1
    assert trusted_import_map_hashes(theirs + climbing) == []
    assert "sha256" not in admin_policy(theirs)
