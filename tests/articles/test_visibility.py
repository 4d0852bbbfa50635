"""Only what is public is visible: tags and authors of stories not yet out stay unknown to readers."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.support import factories as f

pytestmark = pytest.mark.django_db


def addresses(kind, subject):
    kwargs = {"slug": subject.slug}
    return [
        reverse(f"articles:{kind}", kwargs=kwargs),
        reverse(f"articles:{kind}-feed", kwargs=kwargs),
        reverse(f"articles:{kind}-feed-atom", kwargs=kwargs),
    ]


@pytest.mark.parametrize(
    "status, delay",
    [(Article.Status.DRAFT, 0), (Article.Status.IN_REVIEW, 0), (Article.Status.PUBLISHED, 48)],
)
def test_tags_and_authors_of_unpublished_stories_answer_404(client, status, delay):
    """A mineral, country or author used only on a draft, a story in review or a scheduled one: page and feeds
    404."""
    mineral, country, author = f.mineral(name="Scandium"), f.country(name="Nauru"), f.author(name="Ines Vale")
    f.article(
        status=status,
        publish_at=timezone.now() + timedelta(hours=delay),
        minerals=[mineral],
        countries=[country],
        authors=[author],
    )
    for kind, subject in (("mineral", mineral), ("country", country), ("author", author)):
        for url in addresses(kind, subject):
            response = client.get(url)
            assert response.status_code == 404, url
            assert subject.name not in response.content.decode()


def test_they_answer_once_the_story_is_live(client):
    """The same tag and author pages answer 200 as soon as one of their stories is live."""
    mineral, author = f.mineral(), f.author()
    f.article(minerals=[mineral], authors=[author])
    for kind, subject in (("mineral", mineral), ("author", author)):
        assert [client.get(url).status_code for url in addresses(kind, subject)] == [200, 200, 200]


def test_sections_and_sources_keep_their_pages(client):
    """Sections (in the navigation) and sources (in the register) are public whatever is live."""
    section, source = f.section(), f.source()
    assert client.get(section.get_absolute_url()).status_code == 200
    assert client.get(source.get_absolute_url()).status_code == 200


def test_a_sources_country_is_public_through_the_source(client):
    """A country no live story is tagged with still has a page, in the sitemap too, when a source in the
    register is based there; the Countries page lists only countries with a live story (issue 29: a list
    entry with no story leads readers to nothing)."""
    country = f.country(name="Thailand")
    f.source(country=country)
    assert client.get(country.get_absolute_url()).status_code == 200
    assert country.get_absolute_url() in client.get("/sitemap-countries.xml").content.decode()
    assert "Thailand" not in client.get("/countries/").content.decode()
    f.article(countries=[country])
    assert "Thailand" in client.get("/countries/").content.decode()
