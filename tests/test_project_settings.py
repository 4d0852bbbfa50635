"""Project configuration: migrations are complete, production refuses to start half-configured, deploy checks pass."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from core.email_url import parse_email_url

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "TASKS_", "REDIS_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
        capture_output=True, text=True, timeout=120,
    )


@pytest.mark.django_db
def test_no_missing_migrations():
    """Every model change has a migration."""
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_production_without_secret_key_refuses_to_start():
    """With DEBUG off and no secret key, start-up stops with one clear line."""
    result = run_manage("check", DJANGO_ALLOWED_HOSTS="news.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    """With DEBUG off and no allowed hosts, start-up stops with one clear line."""
    result = run_manage("check", DJANGO_SECRET_KEY="k" * 60)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_deploy_check_has_nothing_to_report():
    """A production configuration passes `manage.py check --deploy` with no warnings."""
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_SECRET_KEY="a-production-like-secret-" + "x9Q" * 20, DJANGO_ALLOWED_HOSTS="news.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_email_url_forms():
    """EMAIL_URL turns into Django's EMAIL_* settings; an unknown scheme is refused."""
    assert parse_email_url("smtp+tls://desk%40example.org:p%40ss@mail.example.org:587") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org", "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "desk@example.org", "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False,
    }
    assert parse_email_url("console:")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        parse_email_url("carrier-pigeon://x")
