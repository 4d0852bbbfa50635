"""Editorial content: articles, their subjects, sources, revisions, search, pages and feeds."""
