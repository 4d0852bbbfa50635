"""Exactness of the page cache: after every kind of change, the next anonymous request shows it."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import article_save, articles_refresh_disclaimer
from comments.models import Comment
from comments.services import comments_moderate
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
    """Make a change as a committed transaction would: invalidations run on commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def editor():
    client = Client()
    client.force_login(f.user(group="Editors", superuser=True))
    return client


def warm(client, *paths):
    """Fill the cache with each page and check the next request is served from it."""
    for path in paths:
        assert client.get(path).status_code == 200, path
        assert client.get(path)["X-Page-Cache"] == "hit", path


def page(client, path):
    return client.get(path).content.decode()


@pytest.fixture
def story():
    return f.article(
        title="Cobalt output rises",
        authors=[f.author(name="Ana Ruiz")],
        minerals=[f.mineral(name="Cobalt")],
        countries=[f.country(name="Chile")],
        sources=[
            f.source(
                name="Harbour Wire", default_disclaimer=f.disclaimer(text="{source} is owned by {owner}.")
            )
        ],
    )


def test_publishing_shows_at_once(client, change, story):
    """A draft published through the write path appears on the front page, its section and the feed."""
    draft = f.article(title="Lithium deal signed", section=story.section, status=Article.Status.DRAFT)
    warm(client, "/", story.section.get_absolute_url(), "/feed/", story.get_absolute_url())
    with change():
        draft.status = Article.Status.PUBLISHED
        article_save(article=draft)
    for path in ("/", story.section.get_absolute_url(), "/feed/", story.get_absolute_url()):
        assert "Lithium deal signed" in page(client, path), path


def test_editing_shows_at_once(client, change, story):
    """A new headline shows on the article, the front page and every other article's sidebar."""
    other = f.article()
    warm(client, story.get_absolute_url(), "/", other.get_absolute_url())
    with change():
        story.title = "Cobalt output falls"
        article_save(article=story)
    for path in (story.get_absolute_url(), "/", other.get_absolute_url()):
        html = page(client, path)
        assert "Cobalt output falls" in html and "Cobalt output rises" not in html, path


def test_unpublishing_removes_the_page_at_once(client, change, story):
    """An unpublished article's page is gone and it leaves the lists."""
    warm(client, story.get_absolute_url(), "/")
    with change():
        story.status = Article.Status.DRAFT
        article_save(article=story)
    assert client.get(story.get_absolute_url()).status_code == 404
    assert "Cobalt output rises" not in page(client, "/")


def test_deleting_an_article_removes_it_at_once(client, change, story):
    """An article deleted from the admin or the shell leaves every list."""
    warm(client, "/")
    with change():
        Article.objects.filter(pk=story.pk).delete()
    assert "Cobalt output rises" not in page(client, "/")


@pytest.mark.parametrize(
    "action, status, featured",
    [
        ("publish_now", Article.Status.PUBLISHED, False),
        ("unpublish", Article.Status.DRAFT, False),
        ("feature", Article.Status.PUBLISHED, True),
    ],
)
def test_admin_bulk_actions_show_at_once(client, editor, change, story, action, status, featured):
    """Publish, unpublish and feature from the admin list reach the cached front page at once."""
    target = f.article(
        title="Graphite anode plant",
        status=Article.Status.DRAFT if action == "publish_now" else Article.Status.PUBLISHED,
    )
    warm(client, "/")
    with change():
        response = editor.post(
            reverse("admin:articles_article_changelist"), {"action": action, "_selected_action": [target.pk]}
        )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.status, target.is_featured) == (status, featured)
    html = page(client, "/")
    assert ("Graphite anode plant" in html) == (status == Article.Status.PUBLISHED)
    if featured:
        assert 'aria-label="Featured"' in html and html.index("Graphite anode plant") < html.index(
            'id="latest-heading"'
        )


def test_slug_change_moves_the_page_at_once(client, change, story):
    """After a rename the old address redirects and the new one serves the article, cache or not."""
    old = story.get_absolute_url()
    warm(client, old)
    with change():
        story.slug = "cobalt-output-rises-again"
        article_save(article=story)
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == "/news/cobalt-output-rises-again/"
    assert "Cobalt output rises" in page(client, "/news/cobalt-output-rises-again/")


@pytest.mark.parametrize("kind", ["source", "author", "section", "mineral", "country"])
def test_renaming_a_subject_shows_at_once(client, change, story, kind):
    """A renamed source, author, section or tag shows on the article and on its own page at once."""
    subject = {
        "source": lambda: story.sources.get(),
        "author": lambda: story.authors.get(),
        "section": lambda: story.section,
        "mineral": lambda: story.minerals.get(),
        "country": lambda: story.countries.get(),
    }[kind]()
    warm(client, story.get_absolute_url(), subject.get_absolute_url(), "/")
    with change():
        subject.name = "Renamed Subject"
        subject.save()
    assert "Renamed Subject" in page(client, story.get_absolute_url())
    assert "Renamed Subject" in page(client, subject.get_absolute_url())


def test_changing_a_subject_slug_shows_at_once(client, change, story):
    """A tag's new slug is linked from the article at once, and its old page is gone."""
    mineral = story.minerals.get()
    old = mineral.get_absolute_url()
    warm(client, story.get_absolute_url(), old)
    with change():
        mineral.slug = "co"
        mineral.save()
    assert 'href="/minerals/co/"' in page(client, story.get_absolute_url())
    assert client.get(old).status_code == 404


def test_refreshing_a_disclaimer_shows_at_once(client, change, story):
    """A published article keeps the disclaimer it went out with; an editor's refresh reaches the page at
    once."""
    disclaimer = story.sources.get().default_disclaimer
    warm(client, story.get_absolute_url())
    with change():
        disclaimer.text = "{source} answers to nobody."
        disclaimer.save()
    assert "Harbour Wire answers to nobody." not in page(client, story.get_absolute_url())
    with change():
        articles_refresh_disclaimer(user=None, articles=[story])
    assert "Harbour Wire answers to nobody." in page(client, story.get_absolute_url())


def test_retagging_an_article_shows_at_once(client, change, story):
    """Tags added to an article show on it and on the tag's page."""
    lithium = f.mineral(name="Lithium")
    warm(client, story.get_absolute_url())
    assert client.get(lithium.get_absolute_url()).status_code == 404  # no live story carries it yet
    with change():
        story.minerals.add(lithium)
    assert 'href="/minerals/' + lithium.slug + '/"' in page(client, story.get_absolute_url())
    assert "Cobalt output rises" in page(client, lithium.get_absolute_url())


@pytest.mark.parametrize("action, shown", [("approve", True), ("mark_spam", False), ("remove", False)])
def test_comment_moderation_in_the_admin_shows_at_once(client, editor, change, story, action, shown):
    """Approving, marking spam or removing in the admin queue reaches the article page at once."""
    comment = cf.comment(
        article=story,
        body_text="Moderated words.",
        status=Comment.Status.PENDING if action == "approve" else Comment.Status.APPROVED,
    )
    warm(client, story.get_absolute_url())
    with change():
        editor.post(
            reverse("admin:comments_comment_changelist"), {"action": action, "_selected_action": [comment.pk]}
        )
    html = page(client, story.get_absolute_url())
    assert ("Moderated words." in html) == shown
    assert f">{int(shown)} comment" in html


def test_comment_edited_or_deleted_one_by_one_shows_at_once(client, change, story):
    """A comment changed or deleted by itself (admin change form, shell) reaches the page at once."""
    comment = cf.comment(article=story, body_text="First words.")
    warm(client, story.get_absolute_url())
    with change():
        comment.body_text = "Second words."
        comment.save()
    assert "Second words." in page(client, story.get_absolute_url())
    warm(client, story.get_absolute_url())
    with change():
        comment.delete()
    assert "Second words." not in page(client, story.get_absolute_url())


def test_a_comment_posted_live_shows_at_once(client, change, story):
    """A returning commenter's comment goes live and the next reader sees it."""
    cf.comment(article=f.article(), author_email="regular@example.com")
    warm(client, story.get_absolute_url())
    with change():
        client.post(
            reverse("comments:post", args=[story.pk]),
            cf.post_data(story, author_email="regular@example.com", body_text="Live at once."),
        )
    assert "Live at once." in page(Client(), story.get_absolute_url())


def test_a_held_comment_leaves_the_page_cached(client, change, story):
    """A comment waiting for moderation changes no page, so the stored page stays in use."""
    warm(client, story.get_absolute_url())
    with change():
        Client().post(reverse("comments:post", args=[story.pk]), cf.post_data(story))
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_commenters_record_follows_them_to_other_articles(client, change, story, settings):
    """Approving a regular's comment updates their record shown on another article's page."""
    settings.COMMENTS_REGULAR_MIN = 2
    elsewhere = f.article()
    for n in range(2):
        cf.comment(article=elsewhere, author_email="regular@example.com", body_text=f"Earlier {n}.")
    pending = cf.comment(article=story, author_email="regular@example.com", status=Comment.Status.PENDING)
    assert "2 approved comments" in page(client, elsewhere.get_absolute_url())
    warm(client, elsewhere.get_absolute_url())
    with change():
        comments_moderate(comments=Comment.objects.filter(pk=pending.pk), status=Comment.Status.APPROVED)
    assert "3 approved comments" in page(client, elsewhere.get_absolute_url())


def sleep_until(moment):
    time.sleep(max(0, (moment - timezone.now()).total_seconds()) + 0.2)


def test_a_scheduled_article_goes_live_on_time(client, story):
    """No page that would list a scheduled article is kept past its publish time."""
    scheduled = f.article(title="Scheduled nickel story", publish_at=timezone.now() + timedelta(seconds=3))
    warm(client, "/")
    assert "Scheduled nickel story" not in page(client, "/")
    sleep_until(scheduled.publish_at)
    assert "Scheduled nickel story" in page(client, "/")


def test_comments_close_on_time(client, settings):
    """An article page is not kept past the moment its comments close."""
    settings.COMMENTS_CLOSE_AFTER_DAYS = 1
    article = f.article(publish_at=timezone.now() - timedelta(days=1) + timedelta(seconds=3))
    warm(client, article.get_absolute_url())
    assert 'id="comment-form"' in page(client, article.get_absolute_url())
    sleep_until(article.publish_at + timedelta(days=1))
    html = page(client, article.get_absolute_url())
    assert 'id="comment-form"' not in html and "Comments closed" in html


def test_the_news_sitemap_drops_an_article_on_time(client):
    """The Google News sitemap is not kept past the moment its oldest article leaves the two days."""
    leaving = f.article(
        title="Old enough to leave", publish_at=timezone.now() - timedelta(days=2, seconds=-3)
    )
    warm(client, "/news-sitemap.xml")
    assert "Old enough to leave" in page(client, "/news-sitemap.xml")
    sleep_until(leaving.publish_at + timedelta(days=2))
    assert "Old enough to leave" not in page(client, "/news-sitemap.xml")


def test_like_counts_lag_by_at_most_the_stated_seconds(client, settings, story):
    """Likes drop no page; an article page with comments is kept no longer than the stated lag."""
    settings.COMMENTS_LIKE_COUNT_LAG = 1
    comment = cf.comment(article=story)
    warm(client, story.get_absolute_url())
    Client().post(reverse("comments:like", args=[comment.pk]))
    time.sleep(1.5)
    assert "1 like<" in page(client, story.get_absolute_url())


def test_a_daily_update_sent_joins_the_archive_at_once(client, change, story):
    """The archive shows an update the moment it finishes sending, and an editor's edit to it."""
    update = nf.daily_update(
        articles=[story], intro="Cobalt and copper today.", status=DailyUpdate.Status.SENDING
    )
    warm(client, "/newsletter/archive/")
    with change():
        sending.daily_update_finish(update.pk)
    assert "Cobalt and copper today." in page(client, "/newsletter/archive/")
    warm(client, "/newsletter/archive/")
    with change():
        update.refresh_from_db()
        update.intro = "Nickel and zinc today."
        update.save()
    assert "Nickel and zinc today." in page(client, "/newsletter/archive/")


def test_a_comment_on_an_article_with_an_address_in_any_script_shows_at_once(client, change):
    """An article page is kept under the tag of its own address: a comment reaches an article whose slug
    is not ASCII (its link percent-encoded, the reader's path decoded) at the next request."""
    story = f.article(title="钕 magnets", slug="钕-magnets")
    comment = cf.comment(article=story, body_text="First words.")
    warm(client, story.get_absolute_url())
    with change():
        comment.body_text = "Second words."
        comment.save()
    assert "Second words." in page(client, story.get_absolute_url())
