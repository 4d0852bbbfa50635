"""Test-run configuration that must exist before Django reads its settings.

The suite runs with DEBUG off, as production does, so it needs the variables that
production needs. Anything already set in the environment (DATABASE_URL for the
PostgreSQL run, REDIS_URL, TASKS_BACKEND) wins.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "newsroom-test-suite-secret-key-not-used-anywhere-else")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SITE_URL", "https://news.example.org")


def pytest_configure(config):
    # pytest-django finishes setting Django up in its own pytest_configure, which runs
    # after this one and now finds DJANGO_SETTINGS_MODULE set.
    import django

    django.setup()
