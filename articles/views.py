from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView

from articles import search
from articles.forms import SearchForm
from articles.models import Article, Author, Citation, Country, FormerSlug, Mineral, Section, Source
from newsroom import ratelimit

RECENT_ARTICLES = 5


def recent_articles(exclude=None):
    articles = Article.objects.published().select_related("section")
    if exclude is not None:
        articles = articles.exclude(pk=exclude.pk)
    return articles[:RECENT_ARTICLES]


class ArticleListView(ListView):
    """A paginated list of live articles; subclasses narrow it to one section, tag, source or author."""

    paginate_by = settings.ARTICLES_PER_PAGE
    template_name = "articles/article_list.html"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()


class FrontPageView(ArticleListView):
    template_name = "articles/front_page.html"

    def get_queryset(self):
        return super().get_queryset().exclude(pk=getattr(self.featured, "pk", None))

    def get(self, request, *args, **kwargs):
        self.featured = Article.objects.published().for_listing().filter(is_featured=True).first()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["featured"] = self.featured
        context["recent_news"] = Article.objects.published().select_related("section")[:8]
        context["sections"] = Section.objects.annotate(
            live_count=Count("articles", filter=Q(articles__in=Article.objects.published()))
        )
        return context


class FilteredArticleListView(ArticleListView):
    """Articles belonging to one object found by slug (a section, mineral, country, source or author)."""

    model = None
    template_name = "articles/filtered_list.html"

    def get(self, request, *args, **kwargs):
        self.subject = get_object_or_404(self.get_subject_queryset(), slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_subject_queryset(self):
        return self.model.objects.all()

    def get_queryset(self):
        return super().get_queryset().about(self.subject)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subject"] = self.subject
        context["subject_kind"] = self.model._meta.verbose_name
        return context


class SectionView(FilteredArticleListView):
    model = Section


class MineralView(FilteredArticleListView):
    model = Mineral
    template_name = "articles/mineral.html"


class CountryView(FilteredArticleListView):
    model = Country
    template_name = "articles/country.html"


class SourceView(FilteredArticleListView):
    model = Source
    template_name = "articles/source.html"

    def get_subject_queryset(self):
        return Source.objects.select_related("country", "default_disclaimer")


class AuthorView(FilteredArticleListView):
    model = Author
    template_name = "articles/author.html"


class SourceRegisterView(ListView):
    template_name = "articles/source_register.html"
    context_object_name = "sources"

    def get_queryset(self):
        return Source.objects.select_related("country").annotate(
            live_count=Count(
                "citations__article",
                filter=Q(citations__article__in=Article.objects.published()),
                distinct=True,
            )
        )


class TagIndexView(ListView):
    """Every mineral or country with at least one live article."""

    template_name = "articles/tag_index.html"
    context_object_name = "tags"
    model = None

    def get_queryset(self):
        return (
            self.model.objects.annotate(
                live_count=Count(
                    "tagged_articles",
                    filter=Q(tagged_articles__content_object__in=Article.objects.published()),
                )
            )
            .filter(live_count__gt=0)
            .order_by("name")
        )

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
        return articles.select_related("section", "disclaimer").prefetch_related(
            "authors",
            "minerals",
            "countries",
            Prefetch(
                "citations",
                queryset=Citation.objects.select_related(
                    "source__country", "source__default_disclaimer"
                ),
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_articles"] = recent_articles(exclude=self.object)
        return context


@method_decorator(staff_member_required, name="dispatch")
class ArticlePreviewView(ArticleDetailView):
    """Staff see any article, whatever its status or schedule, with a banner saying so."""

    def get_queryset(self):
        return self.detail_queryset(Article.objects.all())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = True
        return context


class SearchView(ListView):
    """Search results for the header's search box and the filters beside them."""

    template_name = "articles/search.html"
    context_object_name = "articles"
    paginate_by = settings.SEARCH_RESULTS_PER_PAGE

    def get(self, request, *args, **kwargs):
        # Full-text queries are the costliest reads on the site; one client cannot monopolise them.
        if request.GET.get("q") and not ratelimit.allow(
            "search", ratelimit.client_ip(request), limit=settings.SEARCH_RATE_LIMIT, window=60
        ):
            return ratelimit.too_many_requests(request, "That is a lot of searches in a minute. Please wait a moment.")
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
        for article in context["articles"]:
            article.highlighted_title = search.highlight(article.title, terms)
            article.snippet = search.snippet(article, terms)
        context.update(
            form=self.form, query=query, searched=self.form.is_valid() and self.form.has_criteria(),
            timed_out=self.timed_out, more_than_cap=getattr(self.object_list, "more_than_cap", False),
            only_stop_words=getattr(self.object_list, "only_stop_words", False), count_cap=search.COUNT_CAP,
        )
        return context


def page_not_found(request, exception):
    return render(request, "404.html", {"recent_articles": recent_articles()}, status=404)


def server_error(request):
    # No database access here: the error may be the database.
    return render(request, "500.html", status=500)
