"""The demo's words read as a news desk prints them: typographic quotes and apostrophes in every
headline, standfirst, highlight, body and caption, straight quotes left to HTML attributes."""

import re

import pytest

from articles.demo import content

_TAG = re.compile(r"<[^>]*>")


def _prose(article):
    hero = article.get("hero") or {}
    yield "title", article["title"]
    yield "dek", article["dek"]
    yield from (("highlight", line) for line in article["highlights"])
    yield "body", _TAG.sub(" ", article["body"])
    yield "caption", hero.get("caption", "")


@pytest.mark.parametrize("article", content.ARTICLES, ids=[article["slug"] for article in content.ARTICLES])
def test_demo_articles_use_typographic_quotes(article):
    """No straight quote or apostrophe is left in an article's words (outside its HTML tags)."""
    straight = [(field, text) for field, text in _prose(article) if "'" in text or '"' in text]
    assert not straight


def test_quote_marks_pair_up_in_every_body():
    """Every opening double quote in a body is closed, so a conversion never leaves a quote dangling."""
    for article in content.ARTICLES:
        text = _TAG.sub(" ", article["body"])
        assert text.count("“") == text.count("”"), article["slug"]
