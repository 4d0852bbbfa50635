"""Two app servers sharing Redis and PostgreSQL see each other's invalidations at once."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from articles.models import Article
from articles.services import article_save
from tests.support import factories as f

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# The other app server: a separate process with its own Django, its own connections and its own
# memory, sharing only PostgreSQL and Redis with the test's process.
OTHER_SERVER = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.test import Client
# As in the test's own process (tests/conftest.py): static names as written, no manifest needed.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
from articles.models import Article
from articles.services import article_save

command, argument = sys.argv[1], sys.argv[2]
if command == "get":
    response = Client().get(argument)
    print(json.dumps({"cache": response.get("X-Page-Cache"), "body": response.content.decode()}))
elif command == "retitle":
    pk, title = argument.split(":", 1)
    article = Article.objects.get(pk=pk)
    article.title = title
    article_save(article=article)
"""


def other_server(command, argument):
    settings_db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{settings_db['USER']}@{settings_db['HOST']}:{settings_db['PORT']}/{settings_db['NAME']}",
        "NEWSROOM_PAGE_CACHE": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", OTHER_SERVER, command, argument],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if command == "get" else None


def test_servers_share_pages_and_invalidations(client, settings):
    """A page stored by one server is a hit on the other; an edit on either drops it for both."""
    settings.NEWSROOM_PAGE_CACHE = settings.NEWSROOM_FRAGMENT_CACHE = True
    story = f.article(title="Copper smelter opens")
    url = story.get_absolute_url()

    assert client.get(url)["X-Page-Cache"] == "miss"
    seen_there = other_server("get", url)
    assert seen_there["cache"] == "hit" and "Copper smelter opens" in seen_there["body"]

    other_server("retitle", f"{story.pk}:Copper smelter delayed")
    here = client.get(url)
    assert here["X-Page-Cache"] == "miss" and "Copper smelter delayed" in here.content.decode()

    story = Article.objects.get(pk=story.pk)
    story.title = "Copper smelter cancelled"
    article_save(article=story)
    seen_there = other_server("get", url)
    assert seen_there["cache"] == "miss" and "Copper smelter cancelled" in seen_there["body"]
