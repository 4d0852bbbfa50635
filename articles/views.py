"""The reading site's pages: front page, article, preview, subject listings, search and corrections."""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView

from articles import search
from articles.forms import SearchForm
from articles.models import Article, Correction, FormerSlug, Section, Source
from articles.provenance import provenance_warnings
from core import clients, ratelimit

# The front page's second tier: the stories after the lead, each with its picture.
SECOND_TIER = 3


def first_picture(articles):
    """The pk of the first article in `articles` with a photo: its picture is the one above the
    fold, loaded eagerly and first; every picture after it stays lazy."""
    return next((article.pk for article in articles if article.hero_image), None)


class ArticleListView(ListView):
    """A paginated list of live articles; subclasses narrow it to one section, tag, source or author."""

    paginate_by = settings.ARTICLES_PER_PAGE
    template_name = "articles/article_list.html"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["eager_pk"] = first_picture(context["articles"])
        return context


class FrontPageView(ArticleListView):
    """The lead story (the featured article, else the newest), a second tier with pictures, then the
    latest; later pages are the latest alone."""

    template_name = "articles/front_page.html"

    def get_queryset(self):
        return super().get_queryset().exclude(pk=getattr(self.featured, "pk", None))

    def get(self, request, *args, **kwargs):
        self.featured = Article.objects.published().for_listing().filter(is_featured=True).first()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = list(context["articles"])
        if context["page_obj"].number == 1:
            lead = self.featured or (articles.pop(0) if articles else None)
            # The second tier is the newest stories with a picture (others when too few have one);
            # every other story keeps its place in the latest list.
            pictured = [article for article in articles if article.hero_image]
            tier = (pictured + [article for article in articles if not article.hero_image])[:SECOND_TIER]
            tier.sort(key=articles.index)
            articles = [article for article in articles if article not in tier]
            context.update(lead=lead, second_tier=tier)
            context["eager_pk"] = first_picture([lead, *tier] if lead else tier)
        context["articles"] = articles
        context["sections"] = Section.objects.annotate_live()
        return context


class SubjectView(ArticleListView):
    """The live articles of one subject found by slug: a section, mineral, country, source or author."""

    kind = None  # an articles.subjects.SubjectKind, set in the URLconf

    def get(self, request, *args, **kwargs):
        self.subject = get_object_or_404(self.kind.page_queryset(), slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_template_names(self):
        return self.kind.template_names()

    def get_queryset(self):
        return super().get_queryset().about(self.subject)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subject"] = self.subject
        context["subject_kind"] = self.kind.verbose_name
        # On a section's own page every card's kicker would name the page's own section.
        context["hide_section"] = isinstance(self.subject, Section)
        if getattr(self.subject, "photo", None):
            context["eager_pk"] = None  # the author's portrait heads the page and is fetched first
        return context


class SourceRegisterView(ListView):
    template_name = "articles/source_register.html"
    context_object_name = "sources"

    def get_queryset(self):
        return Source.objects.select_related("country").annotate_live()


class TagIndexView(ListView):
    """Every mineral or country with at least one live article."""

    template_name = "articles/tag_index.html"
    context_object_name = "tags"
    model = None

    def get_queryset(self):
        return self.model.objects.listed().annotate_live().order_by("name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kind_plural"] = self.model._meta.verbose_name_plural
        return context


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return self.detail_queryset(Article.objects.published())

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # An address the article had before an editor renamed it moves readers on for good.
            moved = FormerSlug.objects.live_article(kwargs.get("slug"))
            if moved is None:
                raise
            # Shared links carry campaign and tracking parameters; they survive the move.
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(moved.get_absolute_url() + (f"?{query}" if query else ""))

    @staticmethod
    def detail_queryset(articles):
        # Everything the page shows comes in a fixed number of queries, whatever the
        # number of authors, tags or citations.
        return (
            articles.select_related("section", "disclaimer")
            .with_citations()
            .prefetch_related("authors", "minerals", "countries", "corrections")
        )


@method_decorator(staff_member_required, name="dispatch")
class ArticlePreviewView(ArticleDetailView):
    """Staff see any article, whatever its status or schedule, with a banner saying so."""

    def get_queryset(self):
        return self.detail_queryset(Article.objects.all())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = True
        # Editors look here before publishing: the sourcing rules the story breaks, if any.
        context["provenance_warnings"] = provenance_warnings(self.object.cited_sources())
        return context


class CorrectionListView(ListView):
    """Every correction, clarification and update on a live article, newest first."""

    template_name = "articles/corrections.html"
    context_object_name = "corrections"
    paginate_by = settings.CORRECTIONS_PER_PAGE

    def get_queryset(self):
        return Correction.objects.public().newest_first().select_related("article__section")


class SearchView(ListView):
    """Search results for the header's search box and the filters beside them."""

    template_name = "articles/search.html"
    context_object_name = "articles"
    paginate_by = settings.SEARCH_RESULTS_PER_PAGE

    def get(self, request, *args, **kwargs):
        # Full-text queries are the costliest reads on the site; one client cannot monopolise them.
        if request.GET.get("q") and (
            limited := ratelimit.limited(
                request,
                "search",
                clients.client_ip(request),
                limit=settings.SEARCH_RATE_LIMIT,
                window=60,
                message="That is a lot of searches in a minute.",
            )
        ):
            return limited
        self.form = SearchForm(request.GET or None)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.timed_out = False
        if self.form.is_valid() and self.form.has_criteria():
            try:
                return search.search_articles(**self.form.search_kwargs())
            except search.SearchTimeout:
                self.timed_out = True
        return Article.objects.none()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.form.cleaned_data.get("q", "") if self.form.is_valid() else ""
        terms = search.parse_query(query).positive_terms
        via = search.found_through(context["articles"], terms)
        for article in context["articles"]:
            article.highlighted_title = search.highlight(article.title, terms)
            article.snippet = search.snippet(article, terms)
            article.found_through = via.get(article.pk, [])
        context.update(
            form=self.form,
            query=query,
            searched=self.form.is_valid() and self.form.has_criteria(),
            timed_out=self.timed_out,
            more_than_cap=getattr(self.object_list, "more_than_cap", False),
            only_stop_words=getattr(self.object_list, "only_stop_words", False),
            count_cap=getattr(self.object_list, "count_cap", search.COUNT_CAP),
            eager_pk=first_picture(context["articles"]),
        )
        if context["searched"] and query and not context["articles"] and not self.timed_out:
            context["suggestion"] = search.suggestion(query)
        return context
