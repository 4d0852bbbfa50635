"""Project configuration: migrations are complete, production refuses to start half-configured, deploy checks
pass."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from core.email_url import parse_email_url

ROOT = Path(__file__).resolve().parents[2]


PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-production-like-secret-" + "x9Q" * 20,
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
}


def run_manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "TASKS_", "REDIS_URL", "SITE_URL"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db
def test_no_missing_migrations():
    """Every model change has a migration."""
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_production_without_secret_key_refuses_to_start():
    """With DEBUG off and no secret key, start-up stops with one clear line."""
    result = run_manage("check", DJANGO_ALLOWED_HOSTS="news.example.org", SITE_URL="https://news.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    """With DEBUG off and no allowed hosts, start-up stops with one clear line."""
    result = run_manage("check", DJANGO_SECRET_KEY="k" * 60, SITE_URL="https://news.example.org")
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_deploy_check_has_nothing_to_report():
    """A production configuration passes `manage.py check --deploy` with no warnings."""
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", SITE_URL="https://news.example.org", **PRODUCTION
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_site_url_refuses_to_start():
    """With DEBUG off and no SITE_URL (or an empty one), start-up stops with one clear line."""
    for value in (None, "", "  "):
        result = run_manage("check", **PRODUCTION, **({"SITE_URL": value} if value is not None else {}))
        assert result.returncode != 0
        assert "SITE_URL is not set" in result.stderr


@pytest.mark.parametrize(
    "value",
    [
        "news.example.org",
        "ftp://news.example.org",
        "https://news.example.org/news",
        "https://news.example.org?x=1",
        "https://user:pw@news.example.org",
        "https://news.example.org:port",
        "https://",
    ],
)
def test_site_url_that_is_no_address_refuses_to_start(value):
    """A SITE_URL that is not exactly a scheme and a host stops start-up, in debug too, naming the value."""
    for mode in (PRODUCTION, {"DJANGO_DEBUG": "1"}):
        result = run_manage("check", SITE_URL=value, **mode)
        assert result.returncode != 0
        assert "SITE_URL must be the site's scheme and host alone" in result.stderr


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("http://news.example.org", "core.E001"),
        ("https://127.0.0.1:8000", "core.E002"),
        ("https://localhost", "core.E002"),
        ("https://10.0.0.5", "core.E002"),
        ("https://www.example.org", "core.E003"),
    ],
)
def test_deploy_check_reports_a_site_url_readers_cannot_use(value, code):
    """`check --deploy` fails on a SITE_URL that is http, names this machine, or is not an allowed host."""
    hosts = "news.example.org,127.0.0.1,localhost,10.0.0.5"
    result = run_manage("check", "--deploy", SITE_URL=value, **{**PRODUCTION, "DJANGO_ALLOWED_HOSTS": hosts})
    assert result.returncode != 0
    assert code in result.stderr + result.stdout


def test_debug_runs_without_site_url_on_the_local_address():
    """Development needs no SITE_URL: links point at the local server."""
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.SITE_URL)", DJANGO_DEBUG="1"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8000"


def test_email_url_forms():
    """EMAIL_URL turns into Django's EMAIL_* settings; an unknown scheme is refused."""
    assert parse_email_url("smtp+tls://desk%40example.org:p%40ss@mail.example.org:587") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "desk@example.org",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }
    assert parse_email_url("console:")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        parse_email_url("carrier-pigeon://x")
