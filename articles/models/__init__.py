"""Editorial content's models, one module per concern; every public name is re-exported here, so code
outside this package imports `from articles.models import ...`. Modules here import their siblings,
never this package.

    subjects.py   sections, authors, minerals, countries and what they share
    sources.py    the register of sources and the disclaimers about them
    article.py    the article, its citations and former addresses
    editorial.py  revisions (saved and proposed), corrections, dated ownership of sources
    search.py     the search index's tables
"""

from articles.models.article import (
    Article,
    ArticleQuerySet,
    Citation,
    FormerSlug,
    FormerSlugQuerySet,
    citations_prefetch,
)
from articles.models.editorial import (
    ArticleRevision,
    ArticleRevisionQuerySet,
    Correction,
    CorrectionQuerySet,
    ProposedChange,
    SourceOwnership,
)
from articles.models.search import SearchEntry, SearchFacet, SearchFacetQuerySet
from articles.models.sources import (
    NO_SOURCE_FACTS,
    PLACEHOLDERS,
    Disclaimer,
    DisclaimerQuerySet,
    Source,
    fill_placeholders,
)
from articles.models.subjects import (
    Author,
    Country,
    Mineral,
    Section,
    Subject,
    SubjectQuerySet,
    SubjectTag,
    TaggedCountry,
    TaggedMineral,
    modified_at,
    tag_name_error,
)

__all__ = [
    "NO_SOURCE_FACTS",
    "PLACEHOLDERS",
    "Article",
    "ArticleQuerySet",
    "ArticleRevision",
    "ArticleRevisionQuerySet",
    "Author",
    "Citation",
    "Correction",
    "CorrectionQuerySet",
    "Country",
    "Disclaimer",
    "DisclaimerQuerySet",
    "FormerSlug",
    "FormerSlugQuerySet",
    "Mineral",
    "ProposedChange",
    "SearchEntry",
    "SearchFacet",
    "SearchFacetQuerySet",
    "Section",
    "Source",
    "SourceOwnership",
    "Subject",
    "SubjectQuerySet",
    "SubjectTag",
    "TaggedCountry",
    "TaggedMineral",
    "citations_prefetch",
    "fill_placeholders",
    "modified_at",
    "tag_name_error",
]
