"""The README's words stay true to the code: every setting the settings module reads from the environment
has a row in its settings table, and every file and section it sends a reader to exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()

# os.environ.get("X", ...), os.environ["X"], env_bool("X"), env_list("X")
ENV_READ = re.compile(r"""(?:os\.environ(?:\.get)?[\[(]|env_bool\(|env_list\()\s*"([A-Z][A-Z0-9_]*)\"""")


def settings_table():
    """The setting names in the rows of the README's settings table."""
    section = README.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", row.split("|")[1])}


def test_every_setting_read_from_the_environment_is_in_the_settings_table():
    """A deployment finds every variable the site reads, DJANGO_SECURE_SSL_REDIRECT among them."""
    read = set(ENV_READ.findall((ROOT / "newsroom" / "settings.py").read_text()))
    assert "DJANGO_SECURE_SSL_REDIRECT" in read and "NEWSLETTER_MAX_ATTEMPTS" in read
    assert sorted(read - settings_table()) == []


def test_every_section_the_readme_points_to_exists():
    """A reference such as docs/deploy.md, "Outages" (or see "Stack" in the README) names a heading there."""
    pointed = re.findall(r'(docs/[\w.-]+\.md),\s*"([^"\n]+)"', README) + [
        ("README.md", title) for title in re.findall(r'\b[Ss]ee "([^"\n]+)"', README)
    ]
    assert ("docs/deploy.md", "Outages") in pointed
    missing = [
        (path, title)
        for path, title in pointed
        if not re.search(rf"^#+ {re.escape(title)}\s*$", (ROOT / path).read_text(), re.MULTILINE)
    ]
    assert missing == []


def heading_anchors(path):
    """The anchors a Markdown viewer gives the headings of `path`: lower case, punctuation dropped, spaces
    as hyphens."""
    headings = re.findall(r"^#+ (.+?)\s*$", (ROOT / path).read_text(), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def test_every_link_of_the_readme_reaches_a_file_and_section():
    """A relative link names a file of the repository and, with #anchor, one of its headings."""
    links = re.findall(r"\]\(([^)#\s]+)(?:#([^)\s]+))?\)", README)
    relative = [(path, anchor) for path, anchor in links if "://" not in path]
    assert ("docs/deploy.md", "outages") in relative
    broken = [
        (path, anchor)
        for path, anchor in relative
        if not (ROOT / path).exists() or (anchor and anchor not in heading_anchors(path))
    ]
    assert broken == []
