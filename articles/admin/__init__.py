"""Editorial content's admin pages, one module per concern; importing this package (as Django's admin
autodiscovery does) registers them all.

    articles.py     articles: the form, citations, corrections, publishing, paste cleaning
    revisions.py    revision history, proposed changes and their review
    corrections.py  corrections, inline and on their own
    sources.py      the source register's forms and ownership history
    subjects.py     sections, authors, minerals, countries, sources and disclaimers
"""

from articles.admin import articles, corrections, revisions, sources, subjects  # noqa: F401  (registers)
