"""`manage.py seed_demo`: a first run fills the site, a second run changes nothing, failures leave nothing."""

import re
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

from articles.demo import content as demo_content
from articles.demo import loader as seed_demo
from articles.models import Article, Author, Citation, Country, Disclaimer, Mineral, Section, Source
from articles.subjects import SUBJECTS

pytestmark = pytest.mark.django_db

MODELS = [Article, Author, Citation, Country, Disclaimer, Mineral, Section, Source, get_user_model()]


def run_seed(**options):
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = True
    return tmp_path


@pytest.fixture
def seeded(media, settings):
    output = run_seed()
    settings.DEBUG = False  # pages below render as production does
    return output


def snapshot():
    return {
        "counts": {model.__name__: model.objects.count() for model in MODELS},
        "articles": list(
            Article.objects.order_by("slug").values_list("slug", "updated_at", "hero_image", "publish_at")
        ),
        "sources": list(Source.objects.order_by("slug").values()),
    }


def test_first_run_fills_a_working_newsroom(seeded):
    """Eight or more live articles across several sections, minerals and countries, with one featured."""
    live = Article.objects.published()
    assert live.count() >= 8
    assert Section.objects.filter(articles__in=live).distinct().count() >= 4
    assert Mineral.objects.filter(tagged_articles__content_object__in=live).distinct().count() >= 8
    assert Country.objects.filter(tagged_articles__content_object__in=live).distinct().count() >= 6
    assert live.filter(is_featured=True).count() == 1
    assert Author.objects.exclude(bio="").exclude(role="").count() >= 4
    assert seeded.startswith("Demo content: created 19 articles, 5 sections")
    assert seeded.strip().endswith("; 0 already present.")


def test_second_run_changes_nothing(seeded, settings):
    """A rerun creates no rows, rewrites no article, and says everything was already there."""
    before = snapshot()
    settings.DEBUG = True
    output = run_seed()
    assert snapshot() == before
    assert "created 0 articles" in output
    assert f"{sum(before['counts'].values()) - Citation.objects.count()} already present" in output


def test_rerun_leaves_editors_changes_alone(seeded, settings):
    """An article or source an editor changed keeps the editor's version after a rerun."""
    Article.objects.filter(slug="cobalt-hydroxide-payables-rise").update(title="Edited by the desk")
    Source.objects.filter(slug="meridian-wire").update(owner="New owner")
    settings.DEBUG = True
    run_seed()
    assert Article.objects.get(slug="cobalt-hydroxide-payables-rise").title == "Edited by the desk"
    assert Source.objects.get(slug="meridian-wire").owner == "New owner"


def test_recent_news_and_every_editorial_state(seeded):
    """Two or more stories in the last day; the scheduled, draft and in-review ones are not live."""
    live = Article.objects.published()
    assert live.filter(publish_at__gte=timezone.now() - timedelta(hours=24)).count() >= 2
    scheduled = Article.objects.scheduled().get()
    assert scheduled.publish_at > timezone.now() + timedelta(days=1)
    draft = Article.objects.get(status=Article.Status.DRAFT)
    in_review = Article.objects.get(status=Article.Status.IN_REVIEW)
    assert not live.filter(pk__in=[scheduled.pk, draft.pk, in_review.pk]).exists()


def test_sources_cover_every_kind_with_ownership_facts(seeded):
    """Each kind of outlet appears, and every source says where it is, who owns it and why it matters."""
    assert set(Source.objects.values_list("kind", flat=True)) == set(Source.Kind.values)
    assert not Source.objects.filter(country=None).exists()
    assert not Source.objects.filter(owner="").exists()
    assert not Source.objects.filter(notes="").exists()
    state_media = Source.objects.filter(kind=Source.Kind.STATE_MEDIA)
    assert not state_media.filter(default_disclaimer=None).exists()


def test_sourcing_mix_includes_single_source_and_state_media_only(seeded):
    """Some stories rest on one source and at least one on state media alone, so the badges show."""
    badges = [code for article in Article.objects.published() for code, _ in article.sourcing_badges()]
    assert "single-source" in badges
    assert "state-media" in badges


def test_disclaimer_placeholders_are_filled_on_the_page(client, seeded):
    """The front page and a state-media story render, the story with its source's disclaimer filled in."""
    assert client.get("/").status_code == 200
    article = Article.objects.get(slug="gallium-germanium-checks-state-media")
    text = article.disclaimer_text()
    assert "Northern Star News Agency is a state-run outlet in China" in text
    assert "{" not in text
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert escape(text) in page
    assert "State media only" in page


def test_every_live_page_renders(client, seeded):
    """Each live article, section, tag, source and author page answers 200, none showing a disclaimer
    placeholder; the demo's clarification is on /corrections/."""
    urls = [article.get_absolute_url() for article in Article.objects.published()]
    for kind in SUBJECTS:
        urls += [obj.get_absolute_url() for obj in kind.page_queryset()]
    assert len(urls) > 40
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        main = response.content.decode().split("<main", 1)[1]
        assert not re.search(r"\{(source|country|owner|controller|kind)\}", main), url
    assert (
        "Eastern Industry Daily is published by a group"
        in client.get(reverse("articles:corrections")).content.decode()
    )


def test_heroes_are_stored_illustrations_with_credits(seeded, media):
    """At least six articles carry a 1600x900 image in MEDIA_ROOT, with alt text, caption and credit."""
    with_hero = Article.objects.exclude(hero_image="")
    assert with_hero.count() >= 6
    for article in with_hero:
        assert article.hero_alt and article.hero_caption and article.hero_credit
        with Image.open(media / article.hero_image.name) as image:
            assert image.size == demo_content.HERO_SIZE


def test_hero_rendering_is_deterministic():
    """The same seed and palette always give the same bytes; another seed gives another picture."""
    palette = demo_content.HERO_PALETTES["cobalt"]
    first = seed_demo.render_hero("one", palette, size=(320, 180))
    assert first == seed_demo.render_hero("one", palette, size=(320, 180))
    assert first != seed_demo.render_hero("two", palette, size=(320, 180))


def test_demo_staff_users_cannot_log_in(seeded):
    """The editor and writer accounts sit in their groups and have no usable password."""
    User = get_user_model()
    editor, writer = User.objects.get(username="editor"), User.objects.get(username="writer")
    assert editor.groups.filter(name="Editors").exists() and writer.groups.filter(name="Writers").exists()
    assert not editor.has_usable_password() and not writer.has_usable_password()


def test_refuses_without_debug_unless_forced(media, settings):
    """With DEBUG off the command stops with a readable error; --force loads the demo anyway."""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        run_seed()
    assert not Article.objects.exists()
    assert "created 19 articles" in run_seed(force=True)


def test_failure_part_way_leaves_nothing_behind(media, monkeypatch):
    """An error after some rows and images exist rolls back the rows and removes the images."""
    calls = []

    def failing_render(seed, palette, size=demo_content.HERO_SIZE, graphic=None):
        calls.append(seed)
        if len(calls) == 3:
            raise OSError("disk full")
        return b"not really a jpeg"

    monkeypatch.setattr(seed_demo, "render_hero", failing_render)
    with pytest.raises(CommandError, match="nothing was saved. OSError: disk full"):
        run_seed()
    assert all(model.objects.count() == 0 for model in MODELS)
    assert not [path for path in media.rglob("*") if path.is_file()]


EVENT_SLUGS = [
    "china-answers-eu-us-critical-minerals-talks",
    "critical-minerals-ministerial-2026",
    "us-mexico-critical-minerals-action-plan",
    "us-eu-japan-action-plans-planned",
    "rare-earth-export-controls-suspension-nears-end",
]


def test_stories_on_the_desks_events_are_live_with_sources_owners_and_disclaimers(client, seeded):
    """The five stories on real events are live under their stable slugs, each citing sources with owners,
    tagged with its countries, carrying a filled-in disclaimer, and the suspension story dated before
    10 November 2026."""
    stories = {article.slug: article for article in Article.objects.published().filter(slug__in=EVENT_SLUGS)}
    assert sorted(stories) == sorted(EVENT_SLUGS)
    for article in stories.values():
        sources = article.cited_sources()
        assert sources and all(source.owner for source in sources), article.slug
        assert article.disclaimer_text() and "{" not in article.disclaimer_text(), article.slug
        assert article.minerals.exists() and article.hero_image, article.slug
        assert client.get(article.get_absolute_url()).status_code == 200

    def countries(slug):
        return set(stories[slug].countries.values_list("slug", flat=True))

    assert {"china", "european-union"} <= countries("china-answers-eu-us-critical-minerals-talks")
    assert {"united-states", "mexico"} <= countries("us-mexico-critical-minerals-action-plan")
    assert {"european-union", "japan"} <= countries("us-eu-japan-action-plans-planned")
    assert Country.objects.get(slug="european-union").iso_code == "EU"
    suspension = stories["rare-earth-export-controls-suspension-nears-end"]
    assert datetime(2026, 11, 1, tzinfo=UTC) < suspension.publish_at < datetime(2026, 11, 10, tzinfo=UTC)
    assert Source.objects.get(slug="mofcom").kind == Source.Kind.GOVERNMENT
    assert "Announcement No. 70 of 2025" in suspension.body
