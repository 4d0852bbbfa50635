"""The demo's readership figures: made once, after the demo's articles, and shown by the pages."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from readership.models import ArticleReads, HourlyReads, ReferrerReads
from tests.support import factories as f

pytestmark = pytest.mark.django_db


def test_the_demo_gets_figures_once(client, time_machine):
    """Running the command twice adds figures once; the front page then shows "Most read"."""
    time_machine.move_to("2026-12-07 15:00:00+00:00")
    f.article(is_featured=True)
    f.article()
    call_command("seed_demo_readership")
    made = ArticleReads.objects.count()
    assert made >= 2 and HourlyReads.objects.exists() and ReferrerReads.objects.exists()
    call_command("seed_demo_readership")
    assert ArticleReads.objects.count() == made
    assert all(row.readers <= row.views for row in ArticleReads.objects.all())
    assert b'id="most-read"' in client.get("/").content


def test_without_articles_the_command_says_what_to_run_first():
    """With no live articles the command fails with one line naming seed_demo."""
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_demo_readership")
