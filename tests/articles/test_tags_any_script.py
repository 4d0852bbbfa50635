"""Mineral and country tags named in any script work on every page, feed, sitemap, mail and admin screen that
shows them."""

import unicodedata
from urllib.parse import quote, unquote

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import Article, Country, Mineral
from newsletter import sending, tokens
from tests.support import factories as f
from tests.support import factories_newsletter as nf
from tests.support.parsing import parse_xml

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

# Names as a minerals desk writes them: Latin with diacritics, Han, Arabic, Cyrillic, and
# scripts whose vowel signs are combining marks (Devanagari, Thai).
NAMES = ["Côte d'Ivoire", "São Tomé and Príncipe", "Curaçao", "钕", "الصين", "Россия", "भारत", "ลิเทียม"]


@pytest.fixture(params=NAMES)
def tagged(request):
    """A live article tagged, through the article's tag fields, with a mineral and a country of one name."""
    name = request.param
    article = f.article(title=f"Supply news from {name}", minerals=[name], countries=[name])
    mineral, country = Mineral.objects.get(name=name), Country.objects.get(name=name)
    source = f.source(country=country)
    article.citations.create(source=source, position=0)
    return {"name": name, "article": article, "mineral": mineral, "country": country, "source": source}


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def test_tag_addresses_are_the_name_in_its_own_script(tagged):
    """The tags' addresses spell the name (percent-encoded in links), and are the same for both taxonomies."""
    mineral, country = tagged["mineral"], tagged["country"]
    assert mineral.slug == country.slug
    assert unquote(mineral.get_absolute_url()) == f"/minerals/{mineral.slug}/"
    assert mineral.get_absolute_url() == f"/minerals/{quote(mineral.slug)}/"


def test_article_page_links_its_tags(client, tagged):
    """The article page shows each tag's name and links to its page."""
    html = page(client, tagged["article"].get_absolute_url())
    for tag in (tagged["mineral"], tagged["country"]):
        assert f'href="{tag.get_absolute_url()}"' in html
        assert tag.name.replace("'", "&#x27;") in html


def test_tag_pages_list_the_article_with_a_canonical_on_the_site_url(client, tagged):
    """Each tag's page answers at its address, names the tag and lists its articles."""
    for tag in (tagged["mineral"], tagged["country"]):
        html = page(client, tag.get_absolute_url())
        assert tagged["article"].get_absolute_url() in html
        assert f'<link rel="canonical" href="{SITE}{tag.get_absolute_url()}">' in html


def test_tag_indexes_link_every_tag(client, tagged):
    """The mineral and country indexes link each tag."""
    assert f'href="{tagged["mineral"].get_absolute_url()}"' in page(client, reverse("articles:mineral-index"))
    assert f'href="{tagged["country"].get_absolute_url()}"' in page(client, reverse("articles:country-index"))


def test_source_pages_link_the_sources_country(client, tagged):
    """A source's page links its country; the source register names it."""
    assert f'href="{tagged["country"].get_absolute_url()}"' in page(
        client, tagged["source"].get_absolute_url()
    )
    assert tagged["name"].replace("'", "&#x27;") in page(client, reverse("articles:source-register"))


def test_tag_feeds_answer_and_name_the_tag(client, tagged):
    """Each tag's RSS and Atom feeds parse, carry its name in the title and link to its page."""
    for tag, kind in ((tagged["mineral"], "mineral"), (tagged["country"], "country")):
        rss = parse_xml(client.get(reverse(f"articles:{kind}-feed", kwargs={"slug": tag.slug}))).find(
            "channel"
        )
        assert rss.findtext("title").startswith(tag.name)
        assert rss.findtext("link") == SITE + tag.get_absolute_url()
        assert [item.findtext("title") for item in rss.findall("item")] == [tagged["article"].title]
        atom = parse_xml(client.get(reverse(f"articles:{kind}-feed-atom", kwargs={"slug": tag.slug})))
        assert atom.findtext(f"{ATOM}title").startswith(tag.name)


def test_site_feeds_carry_tag_names_as_categories(client, tagged):
    """The site's RSS item lists the tags by name as categories; Atom as category terms."""
    item = parse_xml(client.get(reverse("articles:feed"))).find("channel").find("item")
    assert tagged["name"] in [category.text for category in item.findall("category")]
    entry = parse_xml(client.get(reverse("articles:feed-atom"))).find(f"{ATOM}entry")
    assert tagged["name"] in [category.get("term") for category in entry.findall(f"{ATOM}category")]


def test_tag_sitemaps_list_addresses_that_answer(client, tagged):
    """The mineral and country sitemaps list each tag's page on the site URL, and each address answers."""
    for section, tag in (("minerals", tagged["mineral"]), ("countries", tagged["country"])):
        root = parse_xml(client.get(reverse("articles:sitemap-section", kwargs={"section": section})))
        locations = [node.findtext(f"{SM}loc") for node in root.findall(f"{SM}url")]
        assert locations == [SITE + tag.get_absolute_url()]
        assert client.get(locations[0].removeprefix(SITE)).status_code == 200
    assert client.get(reverse("articles:sitemap")).status_code == 200


def test_decomposed_address_answers_like_the_composed_one(client, tagged):
    """A link whose name arrives decomposed (NFD) finds the same tag page."""
    slug = unicodedata.normalize("NFD", tagged["country"].slug)
    assert client.get(f"/countries/{quote(slug)}/").status_code == 200


def test_search_filters_by_the_tag(client, tagged):
    """The search page's mineral and country filters take the tag's slug and find its article."""
    for field, tag in (("mineral", tagged["mineral"]), ("country", tagged["country"])):
        html = page(client, reverse("articles:search") + f"?{field}={quote(tag.slug)}")
        assert tagged["article"].get_absolute_url() in html


def test_newsletter_topics_offer_and_keep_the_tags(client, tagged, mailoutbox):
    """Signup and topics pages offer the tags by name; the daily update names the reader's topics."""
    name = tagged["name"].replace("'", "&#x27;")
    assert name in page(client, reverse("newsletter:signup"))
    reader = nf.subscriber()
    topics = reverse("newsletter:topics", args=[tokens.make(tokens.TOPICS, reader)])
    assert name in page(client, topics)
    client.post(topics, {"minerals": [tagged["mineral"].pk], "countries": [tagged["country"].pk]})
    assert list(reader.minerals.all()) == [tagged["mineral"]]
    update = nf.daily_update(articles=[tagged["article"]], audience=[reader], status="sending")
    sending.deliveries_send_batch(delivery_ids=list(update.deliveries.values_list("pk", flat=True)))
    assert f"Your topics: {tagged['name']}, {tagged['name']}" in mailoutbox[0].body


def test_admin_lists_edits_and_links_the_tags(client, tagged):
    """The tag admin lists and opens each tag, and "view on site" leads to its page."""
    client.force_login(f.user(superuser=True))
    mineral = tagged["mineral"]
    assert tagged["name"].replace("'", "&#x27;") in page(client, reverse("admin:articles_mineral_changelist"))
    page(client, reverse("admin:articles_mineral_change", args=[mineral.pk]))
    page(client, reverse("admin:articles_article_changelist") + f"?minerals__id__exact={mineral.pk}")
    page(client, reverse("admin:articles_article_change", args=[tagged["article"].pk]))
    content_type = f"{mineral._meta.app_label}.{mineral._meta.model_name}"
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Mineral)
    response = client.get(reverse("admin:view_on_site", args=[ct.pk, mineral.pk]))
    assert response["Location"].endswith(mineral.get_absolute_url()), content_type


@pytest.mark.parametrize("name", NAMES)
def test_editor_adds_a_tag_in_its_admin_and_chooses_it_in_the_article_form(client, name):
    """A tag added on the Minerals admin page gets its name as its address and is then chosen for an
    article."""
    client.force_login(f.user(superuser=True))
    article = f.article()
    response = client.post(reverse("admin:articles_mineral_add"), {"name": name, "slug": "", "symbol": "X"})
    assert response.status_code == 302
    mineral = Mineral.objects.get(name=name)
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        f.article_form_data(article, minerals=[str(mineral.pk)]),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert [tag.slug for tag in Article.objects.get(pk=article.pk).minerals.all()] == [mineral.slug]
    assert client.get(mineral.get_absolute_url()).status_code == 200


def test_tag_name_without_letters_is_refused_with_a_message(client):
    """A tag name of symbols alone is refused in the tag admin and the shell, saving nothing."""
    client.force_login(f.user(superuser=True))
    response = client.post(reverse("admin:articles_country_add"), {"name": "—", "slug": "", "iso_code": "XX"})
    assert response.status_code == 200 and "has no letters or digits" in response.content.decode()
    with pytest.raises(ValidationError):
        f.article().minerals.add("!!!")
    assert not Mineral.objects.filter(name__in=["🔋", "!!!"]).exists()


def test_tag_admin_makes_the_slug_from_the_name_and_keeps_it_on_rename(client):
    """A tag added in the admin gets its name's slug; renaming it later keeps its address."""
    client.force_login(f.user(superuser=True))
    response = client.post(
        reverse("admin:articles_country_add"), {"name": "भारत", "slug": "", "iso_code": "IN"}
    )
    assert response.status_code == 302
    india = Country.objects.get(name="भारत")
    assert india.slug == "भारत"
    response = client.post(
        reverse("admin:articles_country_change", args=[india.pk]),
        {"name": "भारत गणराज्य", "slug": "", "iso_code": "IN"},
    )
    assert response.status_code == 302
    india.refresh_from_db()
    assert (india.name, india.slug) == ("भारत गणराज्य", "भारत")


def test_taken_slug_gets_a_suffix_not_an_error():
    """Two names with one slug (differing only in punctuation) both get an address."""
    first = Country.objects.create(name="Cote d'Ivoire")
    second = Country.objects.create(name="Cote dIvoire")
    assert (first.slug, second.slug) == ("cote-divoire", "cote-divoire_1")


def test_migration_gives_unaddressable_tags_an_address():
    """Existing tags keep their slugs; one with an empty slug gets its name's, or a numbered one."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("articles.migrations.0006_any_script_slugs")
    keep = f.country(name="Chile", slug="chile")
    unicode_kept = f.country(name="São Tomé", slug="são-tomé")
    empty = f.country(name="Curaçao")
    symbols = f.mineral(name="Mineral X")
    Country.objects.filter(pk=empty.pk).update(slug="")
    Mineral.objects.filter(pk=symbols.pk).update(slug="", name="🔋")
    migration.give_every_tag_an_address(apps, None)
    assert [Country.objects.get(pk=tag.pk).slug for tag in (keep, unicode_kept, empty)] == [
        "chile",
        "são-tomé",
        "curaçao",
    ]
    assert Mineral.objects.get(pk=symbols.pk).slug == f"mineral-{symbols.pk}"
