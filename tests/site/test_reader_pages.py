"""A reader's newsroom, as served HTML: pictures on every card and which one loads first, the article's
side and end, search hints, comment headings, newsletter pages, the demo's error pages and archive."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.services import article_save
from newsletter.models import DailyUpdate
from tests.support import factories as f
from tests.support import factories_comments as cf

pytestmark = pytest.mark.django_db

IMG = re.compile(r"<img\b[^>]*>")


@pytest.fixture(autouse=True)
def commits(monkeypatch):
    """Renditions are made once a save commits; here each save counts as committed at once."""
    from articles import photos

    monkeypatch.setattr(photos.transaction, "on_commit", lambda callback, using=None: callback())


def with_hero(article):
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), "teal").save(buffer, "JPEG")
    article.hero_image.save(f"{article.slug}.jpg", ContentFile(buffer.getvalue()), save=False)
    article.hero_alt = "A test photo"
    article_save(article=article)
    article.refresh_from_db()
    return article


def images(html):
    """The <img> tags of the page's main content, in document order."""
    main = html[html.index('<main id="main"') : html.index("</main>")]
    return IMG.findall(main)


def assert_first_eager_rest_lazy(html):
    found = images(html)
    assert len(found) >= 2, found
    first, *rest = found
    assert 'loading="eager"' in first and 'fetchpriority="high"' in first
    assert re.search(r'width="\d+" height="\d+"', first)
    for img in rest:
        assert 'loading="lazy"' in img and "fetchpriority" not in img, img


def test_front_page_loads_its_first_picture_first_and_the_rest_lazily(client, isolated_media):
    """On the front page the lead story's picture is eager with fetchpriority="high"; every other is lazy."""
    for n in range(5):
        with_hero(f.article(title=f"Pictured story {n}", publish_at=timezone.now() - timedelta(hours=n + 1)))
    html = client.get("/").content.decode()
    assert 'class="front__tier"' in html
    assert_first_eager_rest_lazy(html)


def test_article_page_loads_its_hero_first_and_the_rest_lazily(client, isolated_media):
    """On an article page the hero is eager and high priority; related stories' pictures are lazy."""
    mineral = f.mineral(name="Neodymium", symbol="Nd")
    story = with_hero(f.article(minerals=[mineral]))
    for _ in range(2):
        with_hero(f.article(minerals=[mineral]))
    assert_first_eager_rest_lazy(client.get(story.get_absolute_url()).content.decode())


def test_listing_page_loads_the_first_pictured_card_first(client, isolated_media):
    """On a section page the first card with a picture is eager, even after a card without one."""
    section = f.section()
    f.article(section=section, publish_at=timezone.now() - timedelta(minutes=1))
    for n in range(3):
        with_hero(f.article(section=section, publish_at=timezone.now() - timedelta(hours=n + 1)))
    assert_first_eager_rest_lazy(client.get(section.get_absolute_url()).content.decode())


def test_a_section_page_does_not_repeat_its_own_name_on_every_card(client):
    """Cards on a section's page carry no kicker; the same cards on a mineral's page name their section."""
    section = f.section(name="Policy desk")
    mineral = f.mineral()
    f.article(section=section, minerals=[mineral])
    kicker = f'<p class="kicker"><a href="{section.get_absolute_url()}">Policy desk</a></p>'
    assert kicker not in client.get(section.get_absolute_url()).content.decode()
    assert kicker in client.get(mineral.get_absolute_url()).content.decode()


def test_front_page_has_one_signup_box_and_a_most_discussed_block(client):
    """The front page invites signup once (not again in the footer) and lists the week's most-discussed
    story."""
    quiet, busy = f.article(title="Quiet story"), f.article(title="Busy story")
    for _ in range(3):
        cf.comment(article=busy)
    cf.comment(article=quiet, status="pending")
    html = client.get("/").content.decode()
    assert html.count('<section class="signup-box') == 1
    block = html[html.index('id="most-discussed-heading"') :]
    block = block[: block.index("</section>")]
    assert "Busy story" in block and "3 comments this week" in block and "Quiet story" not in block


def test_article_page_has_related_tags_with_labels_reading_time_and_aligned_figures(client):
    """The article's end carries labelled tags with the symbol set off, the signup invitation and related
    stories by shared minerals and countries; figures in tables are marked to align right."""
    nd, china = f.mineral(name="Neodymium", symbol="Nd"), f.country(name="China")
    body = (
        "<p>"
        + "word " * 460
        + "</p><table><caption>Exports</caption><tr><td>This month</td><td>4,380</td></tr></table>"
    )
    story = f.article(minerals=[nd], countries=[china], body=body)
    closest = f.article(
        title="Shares both", minerals=[nd], countries=[china], publish_at=timezone.now() - timedelta(days=3)
    )
    f.article(title="Shares one", minerals=[nd])
    f.article(title="Shares none")
    html = client.get(story.get_absolute_url()).content.decode()
    end = html[html.index('class="article__footer"') : html.index('id="comments"')]
    assert ">Minerals</h2>" in end and ">Countries</h2>" in end
    assert '<abbr class="tag__symbol" title="chemical symbol">Nd</abbr>' in end
    assert 'id="signup-email-end"' in end and 'id="signup-email-footer"' not in html
    related = end[end.index('id="related-end-heading"') :]
    assert related.index("Shares both") < related.index("Shares one") and "Shares none" not in related
    assert closest.get_absolute_url() in html[html.index('class="article-side"') :]
    assert "2 min read" in html
    assert '<td><p>This month</p></td><td class="num"><p>4,380</p></td>' in html
    assert '<div class="table-scroll" tabindex="0" role="region"' in html and "</table></div>" in html


def test_search_snippets_keep_blocks_apart_and_say_which_mineral_found_a_result(client):
    """A snippet never glues a table cell to the next block; a result found through a symbol links to its
    mineral."""
    nd = f.mineral(name="Neodymium", symbol="Nd", slug="neodymium")
    f.article(
        title="Port backlog grows",
        minerals=[nd],
        body=(
            "<table><tr><td>This month</td><td>4,380</td></tr></table>"
            "<h2>Where the backlog bites</h2><p>Magnet plants wait.</p>"
        ),
    )
    html = client.get(reverse("articles:search"), {"q": "Nd"}).content.decode()
    assert "This month4,380" not in html
    assert f'Found through <a href="{nd.get_absolute_url()}">Neodymium (Nd)</a>' in html
    assert "result for “Nd”" in html
    html = client.get(reverse("articles:search"), {"q": "backlog"}).content.decode()
    assert "This month · 4,380 · Where the <mark>backlog</mark> bites" in html
    assert "Found through" not in html


def test_each_comment_is_headed_by_its_author(client):
    """Every comment's <article> has a heading: the commenter's name."""
    comment = cf.comment(author_name="Ada Reader")
    html = client.get(comment.article.get_absolute_url()).content.decode()
    assert re.search(
        r'<article class="comment__inner"[^>]*>\s*<header[^>]*>\s*'
        r'<h3 class="comment__author"[^>]*>Ada Reader</h3>',
        html,
    )


def test_held_comment_is_acknowledged_beside_the_form(client):
    """After posting a held comment the page shows the acknowledgement right before the comment form, not at
    the top."""
    from comments.views import HELD_MESSAGE

    article = f.article()
    cf.comment(article=article)
    response = client.post(reverse("comments:post", args=[article.pk]), cf.post_data(article), follow=True)
    html = response.content.decode()
    ack = html.index('id="comment-ack"')
    assert html.index(HELD_MESSAGE) > ack > html.index('id="comments"')
    assert ack < html.index('id="comment-form"') < html.index('class="comment-list"')
    assert html.count(HELD_MESSAGE) == 1


@pytest.mark.parametrize(
    "name", ["thanks", "confirm", "topics", "unsubscribe", "unsubscribed", "invalid_link"]
)
def test_subscriber_pages_carry_no_footer_signup(name):
    """Newsletter pages about a subscription do not repeat the footer's signup box under their own form."""
    from django.template.loader import get_template

    source = get_template(f"newsletter/{name}.html").template.source
    assert "{% block footer_signup %}{% endblock %}" in source


def test_unsubscribed_page_has_no_signup_box(client):
    """The page that has just unsubscribed a reader does not invite them to sign up in its footer."""
    from newsletter import tokens
    from tests.support import factories_newsletter as nf

    token = tokens.make(tokens.UNSUBSCRIBE, nf.subscriber())
    response = client.post(reverse("newsletter:unsubscribe", args=[token]), follow=True)
    assert response.status_code == 200
    assert "signup-box" not in response.content.decode()


@override_settings(DEBUG=True, NEWSROOM_FRIENDLY_ERRORS=True)
def test_demo_shows_the_friendly_error_pages():
    """With DEBUG and NEWSROOM_FRIENDLY_ERRORS, an unknown address and a failing view get the site's pages."""
    from django.http import Http404, HttpResponseNotFound

    from core.middleware import FriendlyErrorPagesMiddleware

    request = RequestFactory().get("/no-such-page/")
    technical = FriendlyErrorPagesMiddleware(
        lambda request: HttpResponseNotFound("<h1>Page not found (404)</h1> technical")
    )
    response = technical(request)
    assert response.status_code == 404 and "technical" not in response.content.decode()
    assert 'name="viewport"' in response.content.decode()
    middleware = FriendlyErrorPagesMiddleware(lambda request: None)
    assert middleware.process_exception(request, Http404()).status_code == 404
    failed = middleware.process_exception(request, RuntimeError("boom"))
    assert failed.status_code == 500 and "boom" not in failed.content.decode()


@override_settings(DEBUG=False, NEWSROOM_FRIENDLY_ERRORS=True)
def test_friendly_error_middleware_stands_aside_in_production():
    """Without DEBUG the handlers answer errors; the middleware removes itself."""
    from django.core.exceptions import MiddlewareNotUsed

    from core.middleware import FriendlyErrorPagesMiddleware

    with pytest.raises(MiddlewareNotUsed):
        FriendlyErrorPagesMiddleware(lambda request: None)


def test_demo_newsletter_puts_a_past_update_in_the_archive(client):
    """`seed_demo_newsletter` builds one sent daily update from the last day with articles, once."""
    f.article(title="Yesterday story", publish_at=timezone.now() - timedelta(days=1, hours=1))
    f.article(title="Today story", publish_at=timezone.now() - timedelta(minutes=5))
    call_command("seed_demo_newsletter", stdout=io.StringIO())
    call_command("seed_demo_newsletter", stdout=io.StringIO())
    update = DailyUpdate.objects.sent().get()
    assert list(update.articles.values_list("title", flat=True)) == ["Yesterday story"]
    archive = client.get(reverse("newsletter:archive")).content.decode()
    assert update.get_absolute_url() in archive
    assert "Yesterday story" in client.get(update.get_absolute_url()).content.decode()
