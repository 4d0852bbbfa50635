"""The anonymous page cache: who is served from it, what is stored, and the headers that go with it."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from core import page_cache
from tests.support import factories as f
from tests.support import factories_comments as cf

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_FRAGMENT_CACHE = True


@pytest.fixture
def article():
    article = f.article(authors=[f.author()], minerals=[f.mineral()], sources=[f.source()])
    cf.comment(article=article, body_text="A first reader's view.")
    return article


def served_from_cache(response):
    return response.get("X-Page-Cache") == "hit"


def test_second_anonymous_request_is_a_hit_touching_no_session_user_or_database(
    client, article, django_assert_num_queries
):
    """A reader without a session gets the stored page with no query, no session and no user."""
    first = client.get(article.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())
    assert served_from_cache(second)
    assert second.content == first.content
    request = second.wsgi_request
    assert not hasattr(request, "session") and not hasattr(request, "user")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/sources/",
        "/minerals/",
        "/countries/",
        "/feed/",
        "/feed/atom/",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/robots.txt",
        "/newsletter/archive/",
    ],
)
def test_public_pages_are_shared(client, article, path):
    """Front page, indexes, feeds, sitemaps, robots.txt and the archive are all served from the cache."""
    assert client.get(path).status_code == 200
    assert served_from_cache(client.get(path)), path


def test_subject_pages_are_shared(client, article):
    """Section, mineral, source and author pages (and their feeds) are served from the cache."""
    for subject in (article.section, article.minerals.get(), article.sources.get(), article.authors.get()):
        for path in (subject.get_absolute_url(), subject.get_absolute_url() + "feed/"):
            client.get(path)
            assert served_from_cache(client.get(path)), path


def test_cached_page_carries_no_per_reader_token(client, article):
    """A stored article page has no CSRF token, no CSP nonce, no form token and sets no cookie."""
    client.get(article.get_absolute_url())
    response = client.get(article.get_absolute_url())
    assert served_from_cache(response)
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html and "nonce" not in html
    assert "'nonce-" not in response["Content-Security-Policy"]
    token_input = re.search(r'<input[^>]*name="token"[^>]*>', html).group(0)
    assert "value=" not in token_input
    assert not response.cookies


def test_staff_never_get_a_cached_page(client, article):
    """Staff are served a fresh page marked private, and their page is never stored for readers."""
    staff = Client()
    staff.force_login(f.user(group="Editors"))
    client.get(article.get_absolute_url())  # a reader fills the cache
    response = staff.get(article.get_absolute_url())
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert "Moderator" in response.content.decode()  # the staff form, which readers never see

    fresh = f.article()
    staff.get(fresh.get_absolute_url())
    reader = client.get(fresh.get_absolute_url())
    assert reader["X-Page-Cache"] == "miss" and "Posting as" not in reader.content.decode()


def test_a_made_up_session_cookie_is_served_from_the_cache(client, article):
    """A session cookie no session stands behind changes nothing: the reader gets the stored page."""
    client.get(article.get_absolute_url())
    client.cookies["sessionid"] = "anything"
    response = client.get(article.get_absolute_url())
    assert served_from_cache(response)


def test_a_page_carrying_a_message_is_neither_served_nor_stored(client, article):
    """After posting, the reader's 'awaiting moderation' page is fresh and private; the next one is shared."""
    client.get(article.get_absolute_url())  # stored without any message
    posted = client.post(reverse("comments:post", args=[article.pk]), cf.post_data(article), follow=True)
    html = posted.content.decode()
    assert "awaiting moderation" in html
    assert "X-Page-Cache" not in posted and "private" in posted["Cache-Control"]
    after = client.get(article.get_absolute_url())
    assert served_from_cache(after) and "awaiting moderation" not in after.content.decode()


def test_a_message_shown_while_rendering_keeps_the_page_out_of_the_cache(rf):
    """A page that showed a reader a message, even one added and shown in the same request, is not stored."""
    from django.contrib import messages
    from django.contrib.messages.middleware import MessageMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import HttpResponse

    from core.middleware import PageCacheMiddleware
    from core.page_cache import cacheable

    @cacheable
    def view(request):
        messages.info(request, "Only for you.")
        return HttpResponse("".join(str(message) for message in messages.get_messages(request)))

    app = PageCacheMiddleware(SessionMiddleware(MessageMiddleware(view)))
    first = app(rf.get("/somewhere/"))
    assert first.content == b"Only for you." and not first.cookies
    assert app(rf.get("/somewhere/")).get("X-Page-Cache") != "hit"
    assert "private" in first["Cache-Control"]


def test_conditional_requests_get_304(client, article):
    """A reader holding the current ETag gets 304 with no body, from the cache or on a miss."""
    first = client.get(article.get_absolute_url())
    etag = first["ETag"]
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and "s-maxage" in again["Cache-Control"]
    stale = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH='"something-else"')
    assert stale.status_code == 200


def test_feeds_answer_if_modified_since_from_the_cache(client, article):
    """A feed's Last-Modified is kept with it, so If-Modified-Since gets 304 from a stored copy."""
    first = client.get("/feed/")
    response = client.get("/feed/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 304


def test_cdn_headers(client, article, settings):
    """Shared pages tell a CDN it may hold them briefly; browsers revalidate; Vary names the cookie."""
    settings.NEWSROOM_CDN_SECONDS = 30
    response = client.get("/")
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age=0" in cache_control
    assert 0 < int(re.search(r"s-maxage=(\d+)", cache_control).group(1)) <= 30
    assert "Cookie" in response["Vary"]


def test_head_is_answered_from_the_cache_without_a_body(client, article):
    """HEAD shares GET's stored page and gets its headers only."""
    client.get(article.get_absolute_url())
    response = client.head(article.get_absolute_url())
    assert served_from_cache(response) and response.content == b""


def test_only_known_query_parameters_are_shared(client, article):
    """Page numbers are shared; any other parameter is left out of the key, so junk cannot fill the cache;
    a no-script reply form is the reader's own."""
    for _ in range(14):
        f.article()
    client.get("/?page=2")
    assert served_from_cache(client.get("/?page=2"))
    client.get("/")
    assert served_from_cache(client.get("/?utm_source=x"))  # the front page's own copy
    client.get(article.get_absolute_url() + f"?replyto={Comment.objects.get().pk}")
    assert "X-Page-Cache" not in client.get(
        article.get_absolute_url() + f"?replyto={Comment.objects.get().pk}"
    )


def test_private_pages_are_never_shared(client, article):
    """Search, the signup page, errors and redirects are rendered for each request."""
    for path in ("/search/?q=mines", "/newsletter/", "/news/no-such-article/"):
        client.get(path)
        assert "X-Page-Cache" not in client.get(path), path


def test_switched_off_the_site_renders_every_page(client, article, settings):
    """NEWSROOM_PAGE_CACHE=0: nothing is stored or served, and no shared-cache headers are sent."""
    settings.NEWSROOM_PAGE_CACHE = False
    client.get(article.get_absolute_url())
    response = client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in response and "Cache-Control" not in response


def test_the_setting_defaults():
    """On with Redis or in debug; off on a per-process cache unless asked for; 0 always wins."""

    def page_cache_setting(**env):
        clean = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_DEBUG", "TASKS_", "REDIS_URL", "NEWSROOM_"))
        }
        result = subprocess.run(
            [sys.executable, "-c", "import newsroom.settings as s; print(s.NEWSROOM_PAGE_CACHE)"],
            cwd=ROOT,
            env={**clean, **env},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return result.stdout.strip()

    assert page_cache_setting(REDIS_URL="redis://127.0.0.1:6379/9") == "True"
    assert page_cache_setting(DJANGO_DEBUG="1") == "True"
    assert page_cache_setting() == "False"
    assert page_cache_setting(NEWSROOM_PAGE_CACHE="1") == "True"
    assert page_cache_setting(REDIS_URL="redis://127.0.0.1:6379/9", NEWSROOM_PAGE_CACHE="0") == "False"


def test_pieces_are_kept_by_version_with_the_page_cache_off(
    client, article, settings, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """With whole pages rendered afresh, the thread, navigation and sidebar come from kept pieces, dropped by
    a change."""
    settings.NEWSROOM_PAGE_CACHE = False
    client.get(article.get_absolute_url())
    # The article page's queries, less the thread, the navigation and the recent and related articles.
    with django_assert_num_queries(6):
        assert "A first reader's view." in client.get(article.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        cf.comment(article=article, body_text="A second view.")
    assert "A second view." in client.get(article.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        f.article(title="Newest headline in the sidebar", section=article.section)
        article.section.name = "Renamed section"
        article.section.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Newest headline in the sidebar" in html and "Renamed section" in html


def test_a_hit_reads_the_page_and_its_versions_in_one_round_trip(client, settings):
    """Serving a stored article page asks the cache once: the page, the shared versions and its address's."""
    from unittest import mock

    from django.core.cache import cache

    settings.NEWSROOM_PAGE_CACHE = True
    story = f.article()
    client.get(story.get_absolute_url())
    with (
        mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many,
        mock.patch.object(cache, "get", wraps=cache.get) as get,
    ):
        response = client.get(story.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    # One get_many: the page, the common versions (every article page's tags among them) and the
    # address's; the local-memory cache answers it key by key, and nothing else is read.
    keys = len(page_cache.common_version_keys()) + 2
    assert get_many.call_count == 1 and len(get_many.call_args.args[0]) == keys
    assert get.call_count in (0, keys)
