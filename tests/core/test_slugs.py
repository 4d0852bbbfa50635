"""The one slug rule (core.slugs): names in any script make readable addresses that the URLs accept."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from hypothesis import example, given
from hypothesis import strategies as st

from core.slugs import SlugConverter, is_slug, slugify, validate_slug


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Lithium", "lithium"),
        ("Rare-earth  Magnets!", "rare-earth-magnets"),
        ("Côte d'Ivoire", "côte-divoire"),
        ("São Tomé and Príncipe", "são-tomé-and-príncipe"),
        ("Curaçao", "curaçao"),
        ("钕", "钕"),
        ("الصين", "الصين"),
        ("Россия", "россия"),
        ("भारत", "भारत"),  # Django's slugify drops the vowel sign: "भरत"
        ("ลิเทียม", "ลิเทียม"),
        ("İzmir", "izmir"),
        ("Ｌｉｔｈｉｕｍ", "lithium"),  # full-width forms fold to the plain letters
    ],
)
def test_slug_keeps_the_name_readable_in_its_own_script(name, slug):
    """A name's slug is the name itself, lower-cased, with its letters and marks intact."""
    assert slugify(name) == slug
    assert is_slug(slug)


@pytest.mark.parametrize("name", ["", "—", "🔋", "!!!", " - "])
def test_names_without_letters_or_digits_make_no_slug(name):
    """Symbols alone make an empty slug, which nothing accepts as an address."""
    assert slugify(name) == ""
    with pytest.raises(ValidationError):
        validate_slug(slugify(name))


def test_slug_is_cut_to_length_without_a_trailing_hyphen():
    """A long name's slug fits its column and does not end in a hyphen."""
    assert slugify("Ministry of Natural Resources", max_length=12) == "ministry-of"


def test_decomposed_addresses_resolve_to_the_stored_slug():
    """A URL sent decomposed (NFD) matches the composed slug stored for the name."""
    converter = SlugConverter()
    assert converter.to_python(unicodedata.normalize("NFD", "côte-divoire")) == "côte-divoire"


@pytest.mark.parametrize("bad", ["a b", "a/b", "a.b", "a?b", "🔋"])
def test_a_segment_that_is_no_slug_does_not_match(bad):
    """Spaces, dots, symbols and the like are no slug: the pattern does not match and reverse() refuses."""
    with pytest.raises(ValueError):
        SlugConverter().to_python(bad)
    with pytest.raises(NoReverseMatch):
        reverse("articles:country", kwargs={"slug": bad})


@given(st.text(max_size=60))
@example("I:\u0307")  # a dot above left beside an i by a dropped character
def test_every_slug_made_is_accepted_by_the_urls(name):
    """Whatever the name, its slug is either empty or accepted by the validator and the URL converter."""
    slug = slugify(name)
    if slug:
        validate_slug(slug)
        assert SlugConverter().to_python(SlugConverter().to_url(slug)) == slug
        assert slugify(slug) == slug  # making a slug from a slug changes nothing
