"""The one sanitiser: what article and comment HTML keeps, what it removes, and that bleach stays behind it."""

import pathlib
import re

from hypothesis import given, settings as hsettings, strategies as st

from core.sanitizer import BodyTooLong, check_length, clean_article_html, clean_comment_text

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_article_keeps_editorial_markup():
    """Headings, lists, emphasis, blockquotes, figures, images and tables survive."""
    html = (
        "<h2>Supply</h2><p><strong>Bold</strong> <em>it</em></p><ul><li>one</li></ul>"
        "<blockquote>quote</blockquote><figure><img src=\"https://img.example.org/a.jpg\" alt=\"A\">"
        "<figcaption>cap</figcaption></figure><table><thead><tr><th>Year</th></tr></thead>"
        "<tbody><tr><td>2025</td></tr></tbody></table>"
    )
    assert clean_article_html(html) == html


def test_article_removes_scripts_styles_and_handlers():
    """No scripts, no style attributes, no event handlers, no javascript: URLs."""
    dirty = (
        '<p style="color:red" onmouseover="steal()">Text</p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">x</a><img src="x" onerror="alert(1)"><iframe src="https://e.org"></iframe>'
        '<style>p{}</style>'
    )
    clean = clean_article_html(dirty)
    for forbidden in ("style", "onmouseover", "onerror", "<script", "javascript:", "<iframe"):
        assert forbidden not in clean
    assert "<p>Text</p>" in clean


def test_article_external_links_open_in_new_tab_with_noopener():
    """External links get target=_blank and rel=noopener; links to the site itself do not."""
    clean = clean_article_html('<p><a href="https://ministry.example.gov/report">r</a> <a href="https://news.example.org/x">in</a></p>')
    assert '<a href="https://ministry.example.gov/report" rel="noopener" target="_blank">r</a>' in clean
    assert '<a href="https://news.example.org/x">in</a>' in clean


def test_article_allows_only_http_https_mailto():
    """Other URL schemes are dropped from links and images."""
    clean = clean_article_html('<a href="ftp://x.org/f">f</a><a href="mailto:desk@example.org">m</a><img src="data:image/png;base64,AAA">')
    assert 'href="ftp' not in clean and 'src="data:' not in clean
    assert 'href="mailto:desk@example.org"' in clean


def test_comment_text_becomes_paragraphs_with_nofollow_links():
    """A plain-text comment becomes paragraphs; bare URLs become nofollow ugc links."""
    html = clean_comment_text("First line\nsecond line\n\nSee https://example.org/page for more")
    assert html.startswith("<p>First line<br>second line</p><p>See ")
    assert '<a href="https://example.org/page" rel="nofollow ugc noopener">https://example.org/page</a>' in html


def test_comment_html_is_shown_as_text():
    """HTML typed into a comment is escaped, never markup."""
    html = clean_comment_text('<script>alert("x")</script><img src=x onerror=alert(1)>')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_length_limit_is_refused_not_truncated():
    """Input over the limit raises, naming both sizes."""
    check_length("x" * 10, 10)
    try:
        check_length("x" * 11, 10)
    except BodyTooLong as error:
        assert "11" in str(error) and "10" in str(error)
    else:
        raise AssertionError("over-long input was accepted")


@hsettings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>\"'=/ascriptonerrolhfjv:()&;# \n")), max_size=80))
def test_no_input_produces_script_or_handlers(raw):
    """Whatever the input, cleaned HTML has no script element, event handler or javascript: URL."""
    for clean in (clean_article_html(raw), clean_comment_text(raw)):
        lowered = clean.lower()
        assert "<script" not in lowered
        assert not re.search(r"<[^>]*\son\w+\s*=", lowered)
        assert 'href="javascript:' not in lowered


def test_bleach_is_imported_only_by_the_sanitiser():
    """One module owns bleach, so moving to another sanitiser is a one-file change."""
    importers = [
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*.py")
        if ".venv" not in path.parts and "tests" not in path.parts
        and re.search(r"^\s*(import bleach|from bleach)", path.read_text(), re.M)
    ]
    assert importers == ["core/sanitizer.py"]
