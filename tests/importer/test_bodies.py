"""Post content as article bodies: WordPress's paragraphs made once, block comments gone, shortcodes
turned into figures and links or named for the report, and the one sanitiser over all of it."""

from core.sanitizer import clean_article_html
from importer.bodies import autop, convert, one_line, plain_text


def test_blank_lines_make_paragraphs_and_single_breaks_make_br():
    """Classic content: a blank line starts a paragraph, a single line break is a <br>."""
    assert autop("First line\nsame paragraph\n\nSecond paragraph") == (
        "<p>First line<br />\nsame paragraph</p>\n<p>Second paragraph</p>\n"
    )


def test_no_paragraphs_around_blocks_or_inside_pre():
    """Block elements are not wrapped in <p>, and a <pre>'s blank lines stay as they are."""
    html = autop("<h2>Heading</h2>\nText\n\n<ul>\n<li>one</li>\n</ul>\n\n<pre>a\n\nb</pre>")
    assert "<p><h2>" not in html and "<h2>Heading</h2>" in html
    assert "<p>Text</p>" in html
    assert "<p><ul>" not in html and "<li>one</li>" in html
    assert "<pre>a\n\nb</pre>" in html


def test_block_editor_comments_go_and_no_extra_paragraphs_are_made():
    """Block-editor content keeps its own paragraphs; the wp: comments (with their JSON) go."""
    content = (
        '<!-- wp:heading {"level":2} -->\n<h2>Title</h2>\n<!-- /wp:heading -->\n\n'
        "<!-- wp:paragraph -->\n<p>Text</p>\n<!-- /wp:paragraph -->"
    )
    body, shortcodes = convert(content)
    assert "wp:" not in body and "<!--" not in body
    assert body.count("<p>") == 1 and "<br" not in body
    assert shortcodes == []


def test_caption_becomes_a_figure_with_its_caption():
    """[caption] wraps its image in a figure, the text after the image as its figcaption."""
    image = '<a href="/x.jpg"><img src="/x.jpg" alt="A"></a>'
    body, _ = convert(f'[caption id="attachment_3" width="300"]{image} The pit at dawn.[/caption]')
    assert body.startswith('<figure><a href="/x.jpg"><img')
    assert "<figcaption>The pit at dawn.</figcaption></figure>" in body


def test_caption_given_as_an_attribute():
    """Older posts give the caption as an attribute."""
    body, _ = convert('[caption caption="Older style"]<img src="/y.jpg" alt="">[/caption]')
    assert "<figcaption>Older style</figcaption>" in body


def test_embed_becomes_a_link_and_other_shortcodes_are_named():
    """[embed] is a link to what it embedded; [gallery] and the like stay as text and are listed."""
    embed = "[embed]https://video.example.org/v?a=1&amp;b=2[/embed]"
    body, shortcodes = convert(f'Intro\n\n{embed}\n\n[gallery ids="1,2"]\n\n[contact-form-7 id="9"]')
    assert '<a href="https://video.example.org/v?a=1&amp;b=2">' in body
    assert shortcodes == ["contact-form-7", "gallery"]
    assert '[gallery ids="1,2"]' in body


def test_sanitiser_keeps_the_figure_and_drops_the_rest():
    """The article's save runs the one sanitiser: figures stay, scripts and classes go."""
    image = '<img class="wp-image-1" src="https://a.example/x.jpg" alt="A">'
    body, _ = convert(f"[caption]{image} Cap[/caption]\n\n<script>alert(1)</script>")
    cleaned = clean_article_html(body)
    assert "<figure><img" in cleaned and "<figcaption>Cap</figcaption>" in cleaned
    assert "script" not in cleaned and "wp-image" not in cleaned


def test_excerpt_and_titles_become_plain_text():
    """Excerpts and titles lose their tags and entities; a long one is cut at a word."""
    assert plain_text("Chile&#8217;s <em>output</em>") == "Chile’s output"
    text, cut = one_line("word " * 100, 30)
    assert cut and len(text) <= 30 and text.endswith("…")
