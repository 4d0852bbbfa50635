"""The daily update's click links: counted per update and article, scanners apart, no open redirect."""

import re

import pytest
from django.core import signing
from django.test import Client

from articles.models import Article
from articles.services import article_save
from newsletter.emails import render_digest
from readership import clicks
from readership.models import NewsletterClicks
from tests.readership.conftest import BROWSER
from tests.support import factories as f
from tests.support import factories_newsletter as nf

pytestmark = pytest.mark.django_db


@pytest.fixture
def update_links(time_machine):
    """A daily update as mailed, with the click links its text part carries, made ten minutes ago."""
    time_machine.move_to("2026-12-07 07:00:00+00:00", tick=False)
    first, second = f.article(title="Gallium"), f.article(title="Germanium")
    update = nf.daily_update(articles=[first, second])
    text, html = render_digest(update, [first, second])
    links = re.findall(r"https://news\.example\.org(/r/[^/\s]+/)", text)
    assert len(links) == 2 and all(link in html for link in links)
    time_machine.move_to("2026-12-07 07:10:00+00:00", tick=False)
    return update, dict(zip([first, second], links, strict=True))


def click(path, *, agent=BROWSER, method="get", address="203.0.113.5"):
    return getattr(Client(), method)(path, REMOTE_ADDR=address, headers={"User-Agent": agent})


def counts(update):
    return {
        row.article.title: (row.clicks, row.scanner_clicks)
        for row in NewsletterClicks.objects.filter(update_id=update.pk).select_related("article")
    }


def test_a_click_counts_for_the_update_and_article_and_goes_to_the_article_at_once(update_links):
    """Each click is one more for its update and article, answered with a redirect to the article."""
    update, links = update_links
    (first, first_link), (second, second_link) = links.items()
    for address in ("203.0.113.5", "203.0.113.6"):
        response = click(first_link, address=address)
        assert response.status_code == 302 and response["Location"] == first.get_absolute_url()
    click(second_link)
    assert counts(update) == {"Gallium": (2, 0), "Germanium": (1, 0)}
    assert NewsletterClicks.objects.get(article=first).update_date == update.date


def test_scanners_are_counted_apart(update_links, time_machine):
    """HEAD requests, known scanners' agents and clicks within seconds of sending are scanners' clicks."""
    update, links = update_links
    link = links[next(iter(links))]
    click(link, method="head")
    click(link, agent="Mozilla/5.0 (compatible; Barracuda Sentinel)")
    click(link, agent="Mozilla/4.0 (compatible; ms-office; MSOffice 16)")
    click(link)
    time_machine.move_to("2026-12-07 07:00:20+00:00", tick=False)  # twenty seconds after the links were made
    click(link)
    assert counts(update) == {"Gallium": (1, 4)}


def test_only_links_the_update_carried_are_answered(update_links):
    """An altered or home-made token is refused (404) and counts nothing; the redirect takes no address."""
    update, links = update_links
    link = links[next(iter(links))]
    token = link.split("/")[2]
    forged = signing.dumps({"u": update.pk, "d": "2026-12-07", "a": 999, "t": 0}, salt="another.purpose")
    for path in (f"/r/{token[:-2]}xx/", f"/r/{forged}/", "/r/https:%2F%2Fevil.example/"):
        assert click(path).status_code == 404
    assert not NewsletterClicks.objects.exists()
    assert click(f"{link}?next=https://evil.example/")["Location"].startswith("/news/")


def test_a_link_to_an_article_since_taken_down_goes_to_the_front_page(update_links):
    """The update's link to an unpublished article leads to the front page, counting nothing."""
    update, links = update_links
    article, link = next(iter(links.items()))
    article.status = Article.Status.DRAFT
    article_save(article=article)
    response = click(link)
    assert response.status_code == 302 and response["Location"] == "/"
    assert not NewsletterClicks.objects.exists()


def test_the_update_links_to_articles_directly_without_the_wrapper(settings):
    """With NEWSLETTER_LINK_WRAPPER empty, the update carries each article's own address."""
    settings.NEWSLETTER_LINK_WRAPPER = ""
    article = f.article()
    text, _html = render_digest(nf.daily_update(articles=[article]), [article])
    assert f"https://news.example.org{article.get_absolute_url()}" in text and "/r/" not in text


def test_a_token_with_a_wrong_shape_is_refused():
    """A validly signed payload of the wrong shape is an invalid link, not a 500."""
    token = signing.dumps({"u": "x", "a": 1, "t": 1, "d": "2026-12-07"}, salt=clicks.SALT)
    with pytest.raises(clicks.InvalidLink):
        clicks.read(token)
    assert Client().get(f"/r/{token}/").status_code == 404
