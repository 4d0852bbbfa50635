"""Categories become sections; tags naming a mineral or country (name, alias, symbol or ISO code, any
script, any case) become those tags; the map file decides the rest; nothing unmatched goes unlisted."""

import pytest
from django.core.management import CommandError

from articles.models import Article, Author, Country, Mineral, Section

from .conftest import run_import

pytestmark = pytest.mark.django_db


def write_map(tmp_path, text):
    path = tmp_path / "map.csv"
    path.write_text(text)
    return str(path)


def test_tags_matching_an_alias_a_code_or_another_script_become_tags(subjects):
    """“WHITE GOLD” (an alias, in capitals), “锂” (an alias in Han) and “cl” (Chile's ISO code) match."""
    report = run_import()
    live = Article.objects.get(slug="lithium-prices-slide")
    assert list(live.minerals.all()) == [subjects["lithium"]]
    assert list(live.countries.all()) == [subjects["chile"]]
    assert list(Article.objects.get(slug="how-a-mine-is-permitted").minerals.all()) == [subjects["lithium"]]
    assert "tag “WHITE GOLD” → mineral Lithium (match)" in report
    assert "tag “锂” → mineral Lithium (match)" in report


def test_unmatched_tag_is_listed_never_dropped_silently(subjects):
    """A tag that names nothing the desk tags with is left off and listed with how many posts carry it."""
    report = run_import()
    assert "1 unmatched" in report and "tag “Opinion” on 1 post" in report
    assert not Mineral.objects.filter(name="Opinion").exists()


def test_categories_become_sections_with_their_archives(subjects):
    """Each category used becomes a section of its name; posts without one go to Uncategorized."""
    run_import()
    assert set(Section.objects.values_list("name", flat=True)) == {"Prices", "Markets", "Uncategorized"}


def test_map_sends_terms_to_sections_minerals_countries_or_nowhere(subjects, tmp_path):
    """The map file's rows win over matching: a tag to a new mineral, a category to an existing section,
    a tag dropped."""
    Section.objects.create(name="Analysis", slug="analysis")
    term_map = write_map(
        tmp_path,
        "kind,term,target_kind,target\n"
        "tag,Opinion,section,Analysis\n"
        "category,Prices,section,Analysis\n"
        "tag,cl,drop,\n"
        "tag,white-gold,mineral,Platinum\n",
    )
    report = run_import("--map", term_map)
    live = Article.objects.get(slug="lithium-prices-slide")
    assert live.section.name == "Analysis"
    assert list(live.countries.all()) == []
    assert set(live.minerals.values_list("name", flat=True)) == {"Platinum"}
    assert "Unmatched" not in report
    assert "tag “cl” dropped (map)" in report


def test_map_renames_merges_and_gives_bios_to_authors(subjects, tmp_path):
    """An author row credits a login to a named author (merging with one who exists) and supplies a bio."""
    Author.objects.create(name="Ravi Kumar Sen", slug="ravi-kumar-sen")
    term_map = write_map(
        tmp_path,
        'author,rk,author,Ravi Kumar Sen\nauthor,rk,bio,"Covers permits, from Delhi."\nauthor,jdoe,drop,\n',
    )
    report = run_import("--map", term_map)
    assert Author.objects.count() == 1
    ravi = Author.objects.get()
    assert ravi.bio == "Covers permits, from Delhi."
    assert list(Article.objects.get(slug="how-a-mine-is-permitted").authors.all()) == [ravi]
    assert list(Article.objects.get(slug="lithium-prices-slide").authors.all()) == []
    assert "Authors: 1 renamed or merged, 1 dropped" in report


def test_bad_map_row_is_one_readable_line(subjects, tmp_path):
    """A map row with an unknown target names its line, and nothing is imported."""
    term_map = write_map(tmp_path, "tag,Opinion,planet,Mars\n")
    with pytest.raises(CommandError, match=r"line 1: a tag maps to section, mineral, country, drop"):
        run_import("--map", term_map)
    assert Article.objects.count() == 0


def test_ambiguous_code_is_left_to_the_map(subjects):
    """A code both a mineral and a country answer to (“CO”: cobalt, Colombia) matches neither."""
    from importer.terms import Vocabulary

    Mineral.objects.create(name="Cobalt", symbol="Co")
    Country.objects.create(name="Colombia", iso_code="CO")
    vocabulary = Vocabulary()
    assert vocabulary.subject("co") is None
    assert vocabulary.subject("Cobalt") == ("mineral", Mineral.objects.get(name="Cobalt"))
