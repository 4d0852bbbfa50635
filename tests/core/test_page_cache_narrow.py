"""Narrow invalidation: each kind of change drops the pages that show what changed, and an unrelated
page stays cached."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.invalidation import NEWEST_WINDOW
from articles.models import Article
from articles.services import article_save
from comments.models import Comment
from newsletter import sending
from newsletter.models import DailyUpdate
from tests.support import factories as f
from tests.support import factories_comments as cf
from tests.support import factories_newsletter as nf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_FRAGMENT_CACHE = True


@pytest.fixture
def change(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def warm(client, *paths):
    for path in paths:
        assert client.get(path).status_code == 200, path
        assert client.get(path)["X-Page-Cache"] == "hit", path


def cached(client, path):
    return client.get(path)["X-Page-Cache"] == "hit"


@pytest.fixture
def desk():
    """Two pages of front-page stories in two sections; the oldest on page 2, beyond the newest headlines
    shown beside pages, tagged apart from the rest."""
    now = timezone.now()
    news, analysis = f.section(name="News"), f.section(name="Analysis")
    cobalt, lithium = f.mineral(name="Cobalt"), f.mineral(name="Lithium")
    chile = f.country(name="Chile")
    author = f.author(name="Ana Ruiz")
    stories = [
        f.article(
            title=f"Story {n}",
            section=news,
            minerals=[cobalt],
            authors=[author],
            publish_at=now - timedelta(hours=n + 1),
        )
        for n in range(NEWEST_WINDOW + 3)
    ]
    old = f.article(
        title="Old lithium story",
        section=analysis,
        minerals=[lithium],
        countries=[chile],
        publish_at=now - timedelta(days=30),
    )
    return {
        "news": news,
        "analysis": analysis,
        "cobalt": cobalt,
        "lithium": lithium,
        "chile": chile,
        "author": author,
        "stories": stories,
        "old": old,
    }


def test_publishing_drops_the_lists_and_article_pages_but_not_the_corrections(client, change, desk):
    """A new story drops the front page, every article and listing page (the newest headlines beside
    each), and leaves a page that does not show it, /corrections/, cached."""
    top, old = desk["stories"][0], desk["old"]
    paths = ["/", top.get_absolute_url(), old.get_absolute_url(), desk["analysis"].get_absolute_url()]
    warm(client, *paths, "/corrections/")
    with change():
        f.article(title="Breaking", section=desk["news"])
    for path in paths:
        assert "Breaking" in client.get(path).content.decode(), path
    assert cached(client, "/corrections/")


def test_editing_a_body_drops_its_page_alone(client, change, desk):
    """A body edit changes nothing a card shows: the front page, the section and another article stay."""
    story, other = desk["stories"][0], desk["stories"][1]
    paths = ["/", desk["news"].get_absolute_url(), other.get_absolute_url(), "/minerals/"]
    warm(client, story.get_absolute_url(), *paths)
    with change():
        story.body = "<p>A new paragraph.</p>"
        article_save(article=story)
    assert "A new paragraph." in client.get(story.get_absolute_url()).content.decode()
    for path in paths:
        assert cached(client, path), path


def test_retitling_an_old_story_drops_only_the_front_page_it_is_on(client, change, desk):
    """The oldest story is on the front page's second page: retitling it drops that page, its section
    and the articles sharing its tags, not the first page or an article sharing nothing with it."""
    old = desk["old"]
    unrelated = desk["stories"][0]
    warm(client, "/", "/?page=2", desk["analysis"].get_absolute_url(), unrelated.get_absolute_url())
    with change():
        old.title = "Old lithium story, revisited"
        article_save(article=old)
    assert "revisited" in client.get("/?page=2").content.decode()
    assert "revisited" in client.get(desk["analysis"].get_absolute_url()).content.decode()
    assert cached(client, "/") and cached(client, unrelated.get_absolute_url())


def test_unpublishing_an_old_story_leaves_articles_it_is_not_beside_cached(client, change, desk):
    """A story leaving from the second page drops that page and the front page (its sections' counts),
    not the page of an article it is neither among the newest headlines nor related coverage of."""
    old, unrelated = desk["old"], desk["stories"][0]
    warm(client, "/", "/?page=2", unrelated.get_absolute_url())
    with change():
        old.status = Article.Status.DRAFT
        article_save(article=old)
    assert "Old lithium story" not in client.get("/?page=2").content.decode()
    assert not cached(client, "/")
    assert cached(client, unrelated.get_absolute_url())


def test_renaming_a_mineral_drops_its_pages_and_articles_only(client, change, desk):
    """A mineral renamed drops its page and its articles' pages; the front page and an article without
    it stay."""
    lithium, old = desk["lithium"], desk["old"]
    unrelated = desk["stories"][0]
    warm(client, lithium.get_absolute_url(), old.get_absolute_url(), "/", unrelated.get_absolute_url())
    with change():
        lithium.name = "Lithium carbonate"
        lithium.save()
    assert "Lithium carbonate" in client.get(lithium.get_absolute_url()).content.decode()
    assert "Lithium carbonate" in client.get(old.get_absolute_url()).content.decode()
    assert cached(client, "/") and cached(client, unrelated.get_absolute_url())


def test_renaming_an_author_drops_the_cards_with_their_byline_not_an_index(client, change, desk):
    """An author's name is on every card of theirs: the front page drops, the mineral index stays."""
    author = desk["author"]
    warm(client, "/", author.get_absolute_url(), "/minerals/", desk["old"].get_absolute_url())
    with change():
        author.name = "Ana Ruiz-Soto"
        author.save()
    assert "Ana Ruiz-Soto" in client.get("/").content.decode()
    assert "Ana Ruiz-Soto" in client.get(author.get_absolute_url()).content.decode()
    assert cached(client, "/minerals/")


def test_retagging_drops_the_tags_page_not_another_section(client, change, desk):
    """A mineral added to a story drops the mineral's page and index, not a section it is not in."""
    story = desk["stories"][0]
    warm(
        client,
        story.get_absolute_url(),
        desk["lithium"].get_absolute_url(),
        desk["analysis"].get_absolute_url(),
    )
    with change():
        story.minerals.add(desk["lithium"])
    assert "Story 0" in client.get(desk["lithium"].get_absolute_url()).content.decode()
    assert cached(client, desk["analysis"].get_absolute_url())


def test_a_correction_drops_its_article_and_the_corrections_page_only(client, change, desk):
    """A correction shows on its article and /corrections/; the front page stays cached."""
    story = desk["stories"][0]
    warm(client, story.get_absolute_url(), "/corrections/", "/")
    with change():
        f.correction(article=story, text="The quota was misstated.")
    assert "The quota was misstated." in client.get(story.get_absolute_url()).content.decode()
    assert "The quota was misstated." in client.get("/corrections/").content.decode()
    assert cached(client, "/")


def test_a_comment_drops_its_article_page_only(client, change, desk):
    """An approved comment drops its own article's page; another article and the front page stay."""
    story, other = desk["stories"][0], desk["stories"][1]
    warm(client, story.get_absolute_url(), other.get_absolute_url(), "/")
    with change():
        cf.comment(article=story, body_text="Sharp reporting.", status=Comment.Status.APPROVED)
    assert "Sharp reporting." in client.get(story.get_absolute_url()).content.decode()
    assert cached(client, other.get_absolute_url()) and cached(client, "/")


def test_a_sent_daily_update_drops_the_archive_only(client, change, desk):
    """A daily update joining the archive leaves the front page and articles cached."""
    story = desk["stories"][0]
    update = nf.daily_update(articles=[story], intro="Today in cobalt.", status=DailyUpdate.Status.SENDING)
    warm(client, "/newsletter/archive/", "/", story.get_absolute_url())
    with change():
        sending.daily_update_finish(update.pk)
    assert "Today in cobalt." in client.get("/newsletter/archive/").content.decode()
    assert cached(client, "/") and cached(client, story.get_absolute_url())


def test_renaming_a_section_drops_every_page_with_navigation_not_robots(client, change, desk):
    """Sections are in every page's navigation; robots.txt and the feeds, which show none, stay."""
    warm(client, "/", "/robots.txt", desk["old"].get_absolute_url())
    with change():
        desk["analysis"].name = "Deep dives"
        desk["analysis"].save()
    assert "Deep dives" in client.get(desk["stories"][0].get_absolute_url()).content.decode()
    assert cached(client, "/robots.txt")


def test_a_draft_saved_drops_nothing(client, change, desk):
    """A draft shows nowhere: saving one leaves every page cached."""
    draft = f.article(title="Not yet", status=Article.Status.DRAFT, section=desk["news"])
    warm(client, "/", desk["news"].get_absolute_url(), desk["stories"][0].get_absolute_url())
    with change():
        draft.body = "<p>Still drafting.</p>"
        article_save(article=draft)
    for path in ("/", desk["news"].get_absolute_url(), desk["stories"][0].get_absolute_url()):
        assert cached(client, path), path
