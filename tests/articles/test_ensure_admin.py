"""`manage.py ensure_admin`: makes the local admin once, prints how to log in, refuses outside debug."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command


@pytest.fixture
def password_file(tmp_path, monkeypatch):
    from articles.management.commands import ensure_admin

    path = tmp_path / "admin-password"
    monkeypatch.setattr(ensure_admin, "PASSWORD_FILE", path)
    return path


@pytest.mark.django_db
def test_creates_admin_once_and_prints_login(settings, password_file, capsys):
    """The first run creates a superuser editor; the second changes nothing and prints the same login."""
    settings.DEBUG = True
    call_command("ensure_admin", "--base-url", "http://127.0.0.1:9000")
    first = capsys.readouterr().out
    password = password_file.read_text().strip()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password)
    assert admin.groups.filter(name="Editors").exists()
    assert f"http://127.0.0.1:9000/admin/ as 'admin' with password '{password}'" in first

    call_command("ensure_admin", "--base-url", "http://127.0.0.1:9000")
    assert capsys.readouterr().out == first
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_refuses_outside_debug(settings, password_file):
    """Production accounts are made with createsuperuser, never with a printed password."""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local development"):
        call_command("ensure_admin")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_demo_staff_get_printed_passwords(settings, password_file, capsys):
    """The demo's editor and writer accounts get a password once, printed like the admin's, with no
    interactive change."""
    from django.contrib.auth.models import Group

    from articles.demo.content import USERS

    settings.DEBUG = True
    for item in USERS:
        Group.objects.get_or_create(name=item["group"])
        user = User(username=item["username"], is_staff=True)
        user.set_unusable_password()
        user.save()
    call_command("ensure_admin", "--base-url", "http://127.0.0.1:9000")
    first = capsys.readouterr().out
    for item in USERS:
        password = password_file.with_name(f"{item['username']}-password").read_text().strip()
        assert User.objects.get(username=item["username"]).check_password(password)
        assert f"as '{item['username']}' with password '{password}'" in first
    call_command("ensure_admin", "--base-url", "http://127.0.0.1:9000")
    assert capsys.readouterr().out == first
