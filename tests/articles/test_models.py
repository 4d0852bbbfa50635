"""The editorial model: the published rule, disclaimers, sourcing badges, slugs and highlights."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Disclaimer, Source
from tests.support import factories as f

pytestmark = pytest.mark.django_db


def test_published_means_published_status_and_due():
    """Only published articles whose publish time has come are live."""
    now = timezone.now()
    live = f.article(publish_at=now - timedelta(minutes=1))
    f.article(status=Article.Status.PUBLISHED, publish_at=now + timedelta(hours=2))
    f.article(status=Article.Status.DRAFT, publish_at=now - timedelta(days=1))
    f.article(status=Article.Status.IN_REVIEW, publish_at=now - timedelta(days=1))
    assert list(Article.objects.published()) == [live]


def test_scheduled_article_goes_live_when_its_time_comes():
    """A scheduled article is not live before publish_at and is live after it, with no job to run."""
    article = f.article(publish_at=timezone.now() + timedelta(seconds=1))
    assert not article.is_live and article.is_scheduled
    assert not Article.objects.published().filter(pk=article.pk).exists()
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    article.refresh_from_db()
    assert article.is_live and Article.objects.published().filter(pk=article.pk).exists()


def test_published_queryset_is_newest_first():
    """Lists show the newest article first."""
    now = timezone.now()
    older = f.article(publish_at=now - timedelta(days=2))
    newer = f.article(publish_at=now - timedelta(days=1))
    assert list(Article.objects.published()) == [newer, older]


def test_slug_is_derived_from_title_when_empty():
    """An article saved without a slug gets one from its title."""
    article = f.article(title="Gallium export rules tighten", slug="")
    assert article.slug == "gallium-export-rules-tighten"


def test_highlights_one_per_line_ignoring_blank_lines():
    """Highlights are the non-blank lines of the field, trimmed."""
    article = f.article(highlights="  First point \n\n Second point\n")
    assert article.highlight_list == ["First point", "Second point"]


def test_disclaimer_filled_from_lead_source():
    """Without its own disclaimer, an article shows its lead source's default, filled with that source's
    facts."""
    china = f.country(name="China")
    disclaimer = f.disclaimer(
        text="{source} ({kind}) is owned by {owner}, controlled by {controller}, in {country}."
    )
    lead = f.source(
        name="Harbour Daily",
        kind=Source.Kind.STATE_MEDIA,
        country=china,
        owner="City Press Group",
        controlled_by="The provincial party committee",
        default_disclaimer=disclaimer,
    )
    other = f.source(default_disclaimer=f.disclaimer(text="Other: {source}"))
    article = f.article(sources=[lead, other])
    assert article.disclaimer_text() == (
        "Harbour Daily (state media) is owned by City Press Group, controlled by "
        "The provincial party committee, in China."
    )


def test_article_disclaimer_overrides_source_default():
    """An article's own disclaimer wins over its lead source's default, still filled from the lead source."""
    lead = f.source(name="Ore Wire", default_disclaimer=f.disclaimer(text="default"))
    article = f.article(sources=[lead], disclaimer=f.disclaimer(text="Reported by {source} ({kind})."))
    assert article.disclaimer_text() == "Reported by Ore Wire (newspaper)."


def test_a_placeholder_never_reaches_readers():
    """Without a source, placeholders get neutral words; an unknown or broken one written before validation is
    dropped."""
    assert f.article().disclaimer_text() == ""
    assert (
        f.article(disclaimer=f.disclaimer(text="Based on {source}.")).disclaimer_text()
        == "Based on an unnamed source."
    )
    legacy = f.disclaimer(text="From {source}; {unknown} goes.")
    assert (
        f.article(sources=[f.source(name="Ore Wire")], disclaimer=legacy).disclaimer_text()
        == "From Ore Wire;  goes."
    )
    assert f.article(disclaimer=f.disclaimer(text="Broken {source")).disclaimer_text() == "Broken source"


@pytest.mark.parametrize(
    "text, code",
    [
        ("Owned by {owner} in {contry}.", "unknown_placeholder"),
        ("Owned by {owner", "malformed"),
        ("Owned by owner}", "malformed"),
    ],
)
def test_disclaimer_validation_refuses_placeholders_readers_would_see(text, code):
    """A typo in a placeholder, or an unpaired brace, is refused with an error naming the problem."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        Disclaimer(title="Check", text=text).full_clean()
    assert caught.value.error_dict["text"][0].code == code


def test_disclaimer_validation_accepts_known_placeholders_and_escaped_braces():
    """Every documented placeholder, and doubled braces for a literal brace, pass validation."""
    Disclaimer(title="Fine", text="{source} {country} {owner} {controller} {kind} {{literal}}").full_clean()
    assert Disclaimer(text="{{source}} is {source}").render(None) == "{source} is an unnamed source"


def test_sourcing_badges():
    """One source gets a single-source badge; all state media gets a state-media badge."""
    state_a = f.source(kind=Source.Kind.STATE_MEDIA)
    state_b = f.source(kind=Source.Kind.STATE_MEDIA)
    wire = f.source(kind=Source.Kind.WIRE)
    assert [code for code, _ in f.article(sources=[state_a]).sourcing_badges()] == [
        "single-source",
        "state-media",
    ]
    assert [code for code, _ in f.article(sources=[state_a, state_b]).sourcing_badges()] == ["state-media"]
    assert f.article(sources=[state_a, wire]).sourcing_badges() == []
    assert f.article(sources=[wire]).sourcing_badges() == [("single-source", "Single source")]
    assert f.article().sourcing_badges() == []


def test_lead_source_is_the_first_citation_by_position():
    """The lead source is the citation with the lowest position, whatever the order of creation."""
    first, second = f.source(), f.source()
    article = f.article(sources=[second, first])
    article.citations.filter(source=first).update(position=0)
    article.citations.filter(source=second).update(position=5)
    assert Article.objects.get(pk=article.pk).lead_source == first


def test_body_is_sanitised_on_save():
    """Saving an article cleans its body, dropping a script with its code; a later read sees the clean
    HTML."""
    article = f.article(body='<p onclick="x()">Hi<script>alert(1)</script></p>')
    article.refresh_from_db()
    assert article.body == "<p>Hi</p>"


def test_two_taxonomies_are_separate():
    """A mineral tag and a country tag with the same name stay in their own taxonomy."""
    article = f.article()
    article.minerals.add("Cobalt")
    article.countries.add("Chile")
    assert [tag.name for tag in article.minerals.all()] == ["Cobalt"]
    assert [tag.name for tag in article.countries.all()] == ["Chile"]
    assert article.minerals.all()[0].get_absolute_url() == "/minerals/cobalt/"
    assert article.countries.all()[0].get_absolute_url() == "/countries/chile/"


def test_about_lists_each_article_once_per_subject():
    """An article citing one source twice, or carrying several tags, appears once under each subject."""
    from articles.models import Citation

    source, neodymium, china, writer = f.source(), f.mineral(), f.country(), f.author()
    article = f.article(sources=[source], minerals=[neodymium], countries=[china], authors=[writer])
    Citation.objects.create(article=article, source=source, position=1, url="https://example.org/second")
    f.article()
    for subject in (article.section, neodymium, china, source, writer):
        assert list(Article.objects.published().about(subject)) == [article]
