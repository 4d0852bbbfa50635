"""The five subjects articles are about, declared once.

A section, mineral, country, source or author each has a page listing its live articles, RSS and
Atom feeds, and a sitemap. Views, URLs, feeds and sitemaps all read this
registry; how each subject reaches its articles is declared on its model (Subject.articles_path,
Subject.article_lookup).
"""

from dataclasses import dataclass, field

from articles.models import Author, Country, Mineral, Section, Source


@dataclass(frozen=True)
class SubjectKind:
    model: type
    name: str  # URL names: "<name>", "<name>-feed", "<name>-feed-atom"
    prefix: str  # first part of the page's address: "/<prefix>/<slug>/"
    sitemap: str  # the sitemap's name in the index: "/sitemap-<sitemap>.xml"
    related: tuple = field(default=())  # select_related for the subject's own page
    # Only with a live article: tags and authors say something about stories not yet out.
    public_only: bool = False

    @property
    def verbose_name(self):
        return self.model._meta.verbose_name

    def page_queryset(self):
        """The subjects whose page and feeds answer."""
        subjects = self.model.objects.select_related(*self.related)
        return subjects.public() if self.public_only else subjects

    def template_names(self):
        return [f"articles/{self.name}.html", "articles/filtered_list.html"]


SUBJECTS = (
    SubjectKind(Section, name="section", prefix="section", sitemap="sections"),
    SubjectKind(Mineral, name="mineral", prefix="minerals", sitemap="minerals", public_only=True),
    SubjectKind(Country, name="country", prefix="countries", sitemap="countries", public_only=True),
    SubjectKind(
        Source, name="source", prefix="sources", sitemap="sources", related=("country", "default_disclaimer")
    ),
    SubjectKind(Author, name="author", prefix="authors", sitemap="authors", public_only=True),
)

_BY_MODEL = {kind.model: kind for kind in SUBJECTS}


def kind_of(subject):
    """The SubjectKind of a subject instance or model, or None for anything else."""
    model = subject if isinstance(subject, type) else type(subject)
    return _BY_MODEL.get(model)
