"""The streaming reader of WordPress exports (core.wxr): every field the importer relies on, read one
piece at a time, and a clear error for files that are not exports."""

import pytest

from core import wxr

from .conftest import EXPORTS


def pieces(path=EXPORTS / "desk.xml"):
    return list(wxr.read(path))


def test_site_comes_first_with_its_address():
    """The site's header is handed over before any author, term or item, with its address."""
    found = pieces()
    assert isinstance(found[0], wxr.Site)
    assert found[0].url == "https://minerals.example.com"
    assert found[0].wxr_version == "1.2"


def test_authors_terms_and_items_keep_their_fields():
    """Authors, categories with parents, tags, posts with terms, meta and threaded comments are all read."""
    found = pieces()
    authors = {piece.login: piece for piece in found if isinstance(piece, wxr.Author)}
    assert authors["jdoe"].display_name == "Jane Doe"
    terms = {(piece.taxonomy, piece.slug): piece for piece in found if isinstance(piece, wxr.Term)}
    assert terms[("category", "prices")].parent == "markets"
    assert terms[("post_tag", "%e9%94%82")].name == "锂"
    items = {piece.id: piece for piece in found if isinstance(piece, wxr.Item)}
    post = items[101]
    assert post.post_type == "post" and post.status == "publish" and post.creator == "jdoe"
    assert post.content.startswith("<!-- wp:paragraph -->")
    assert post.excerpt == "A third week of falling <em>spot</em> prices."
    assert ("category", "prices", "Prices") in post.terms
    assert post.meta_value("_thumbnail_id") == "201"
    assert post.meta["_wp_old_slug"] == ["lithium-prices-fall"]
    comments = {comment.id: comment for comment in post.comments}
    assert comments[1003].parent == 1001
    assert comments[1004].approved == "spam"
    assert comments[1006].type == "pingback"
    assert comments[1001].meta["wpdiscuz_votes"] == "3"
    assert items[201].attachment_url.endswith("/2024/03/lithium.jpg")


def test_older_export_versions_are_read(tmp_path):
    """WXR 1.1 spells its namespaces with its own version; the reader takes any."""
    text = (EXPORTS / "desk.xml").read_text().replace("export/1.2/", "export/1.1/")
    path = tmp_path / "old.xml"
    path.write_text(text)
    assert sum(isinstance(piece, wxr.Item) for piece in wxr.read(path)) == 14


def test_malformed_file_is_one_readable_error(tmp_path):
    """A cut-off export stops with one line naming the file and the fault."""
    path = tmp_path / "cut.xml"
    path.write_text((EXPORTS / "desk.xml").read_text()[:5000])
    with pytest.raises(wxr.WXRError) as raised:
        pieces(path)
    assert "not well-formed XML" in str(raised.value) and "\n" not in str(raised.value)


def test_an_ordinary_feed_is_not_an_export(tmp_path):
    """An RSS feed without WordPress's export namespace is refused."""
    path = tmp_path / "feed.xml"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>')
    with pytest.raises(wxr.WXRError, match="not a WordPress export"):
        pieces(path)


def test_entities_are_not_expanded(tmp_path):
    """A file declaring entities cannot make the reader expand or fetch them."""
    path = tmp_path / "hostile.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&x;</title>'
        "<wp:post_id>1</wp:post_id></item></channel></rss>"
    )
    items = [piece for piece in wxr.read(path) if isinstance(piece, wxr.Item)]
    assert "root:" not in items[0].title


def test_read_items_are_cleared_as_it_goes(tmp_path):
    """Memory stays flat: once an item is handed over, the tree holds no earlier item."""
    items = "".join(
        f"<item><title>Post {n}</title><wp:post_id>{n}</wp:post_id><content:encoded>{'x' * 1000}"
        "</content:encoded></item>"
        for n in range(1, 2001)
    )
    path = tmp_path / "many.xml"
    path.write_text(
        '<rss xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel>{items}</channel></rss>"
    )
    reader = wxr.read(path)
    seen = 0
    for piece in reader:
        if isinstance(piece, wxr.Item):
            seen += 1
            if seen == 1500:
                frame = reader.gi_frame
                channel = frame.f_locals["element"].getparent()
                assert len(channel) < 100  # the parser reads a little ahead; nothing behind is kept
    assert seen == 2000
