"""Which editorial changes drop which cached pages, what each public page of this app depends on, and
when pages change with no edit at all.

A change drops the pages that show what changed and no others (docs/page-cache.md has the table):

- an article's own page (its address's tag, so its old and new addresses after a rename);
- the listings it is on, only while it is on them: the front page's pages that show it or whose
  items it shifts (one tag per page number), the pages of its section, minerals, countries, sources
  and authors, the newest headlines beside every article page (only when it is or was among them),
  the main feeds (only when it is or was among their items), its subjects' feeds, the sitemaps, the
  indexes that count live articles (only when it goes live or leaves), /corrections/ (only when it
  has corrections) and the pages of articles sharing a mineral or country (their related coverage);
- a subject's own pages, and the pages of every live article that names it.

An edit that changes nothing a card shows (body, highlights, citations' notes) drops the article's
own page and its feeds, not the listings. Each change also bumps EVERY_CHANGE, for pages and pieces
that declare nothing narrower. Drafts show nowhere: a change to an article that is not live before
or after drops nothing, except that a schedule moved bumps the page cache's timetable.

A scheduled article goes live with no event to hook, so no page is kept past the next scheduled
publication (registered with the page cache in ArticlesConfig.ready()).
"""

from dataclasses import dataclass, replace

from django.conf import settings
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.urls import reverse
from django.utils import timezone

from articles.models import (
    Article,
    Author,
    Citation,
    Correction,
    Country,
    Disclaimer,
    Mineral,
    Section,
    Source,
    SourceOwnership,
)
from articles.subjects import SUBJECTS, kind_of
from articles.templatetags.article_tags import RECENT_ARTICLES, RELATED_ARTICLES
from core import page_cache

# The newest headlines beside every article page, subject page (and on the 404): the five newest
# after leaving out what the page lists already (an article and its four related ones, or a page of
# twelve), so among the seventeen newest.
NEWEST = "newest"
NEWEST_WINDOW = RECENT_ARTICLES + max(RELATED_ARTICLES + 1, settings.ARTICLES_PER_PAGE)
LATEST_FEED = "feed:latest"
SITEMAPS = "sitemaps"
CORRECTIONS = "corrections"
# The front page's pages; a page number that is not one (`?page=last`) depends on this tag, which
# goes with every front page dropped.
FRONT_ANY = "front:any"

# What an article card shows, and what orders the lists it is on.
_CARD_FIELDS = (
    "title",
    "slug",
    "dek",
    "section_id",
    "hero_image",
    "hero_width",
    "hero_height",
    "hero_alt",
    "publish_at",
    "status",
    "is_featured",
)


def front_page_tag(number):
    return f"front:p{number}"


def index_tag(kind):
    """The tag of the pages that count each subject's live articles (the mineral and country indexes,
    the source register, the front page's sections)."""
    return f"index:{kind}"


# What each public page shows beyond its own address, read before the view reads anything.


def front_page_tags(request, *args, **kwargs):
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = None  # "last", or a 404
    page = front_page_tag(number) if number is not None else FRONT_ANY
    return [page, page_cache.NAV, index_tag("section")]


ARTICLE_PAGE_TAGS = [page_cache.NAV, NEWEST]
SUBJECT_PAGE_TAGS = [page_cache.NAV, NEWEST]
SUBJECT_FEED_TAGS = []
LATEST_FEED_TAGS = [LATEST_FEED]
SITEMAP_TAGS = [SITEMAPS]
CORRECTIONS_PAGE_TAGS = [page_cache.NAV, CORRECTIONS]
CORRECTIONS_FEED_TAGS = [CORRECTIONS]
ROBOTS_TAGS = []


def index_page_tags(kind):
    return [page_cache.NAV, index_tag(kind)]


# What a change drops.


def _address(path):
    return page_cache.address_tag(path)


def subject_addresses(subject):
    """The tags of a subject's page (every page number) and its two feeds."""
    kind = kind_of(subject)
    slug = {"slug": subject.slug}
    return {
        _address(reverse(f"articles:{kind.name}", kwargs=slug)),
        _address(reverse(f"articles:{kind.name}-feed", kwargs=slug)),
        _address(reverse(f"articles:{kind.name}-feed-atom", kwargs=slug)),
    }


def _article_address(slug):
    return _address(reverse("articles:detail", kwargs={"slug": slug}))


@dataclass(frozen=True)
class ArticleState:
    """What readers could see of an article at one moment: saved, or about to be."""

    pk: int | None
    slug: str
    live: bool
    scheduled: bool
    publish_at: object
    section_id: int | None
    featured: bool
    card: tuple

    @classmethod
    def of(cls, article):
        now = timezone.now()
        published = article.status == Article.Status.PUBLISHED and article.publish_at is not None
        return cls(
            pk=article.pk,
            slug=article.slug,
            live=published and article.publish_at <= now,
            scheduled=published and article.publish_at > now,
            publish_at=article.publish_at,
            section_id=article.section_id,
            featured=article.is_featured,
            card=tuple(str(getattr(article, name)) for name in _CARD_FIELDS),
        )

    def rank(self):
        """Its place among live articles in the lists' order (newest first), counting from 0."""
        ahead = Q(publish_at__gt=self.publish_at)
        if self.pk is not None:
            ahead |= Q(publish_at=self.publish_at, pk__gt=self.pk)
        return Article.objects.published().filter(ahead).exclude(pk=self.pk).count()


def _subjects(pk, section_id):
    """Every subject an article is about: its section, minerals, countries, sources and authors."""
    found = list(Section.objects.filter(pk=section_id)) if section_id else []
    if pk is not None:
        found += Mineral.objects.filter(articles__pk=pk)
        found += Country.objects.filter(articles__pk=pk)
        found += Source.objects.filter(citations__article_id=pk).distinct()
        found += Author.objects.filter(articles__pk=pk)
    return found


def _related_pages(pk, minerals=(), countries=()):
    """Pages of live articles that may list this one among their related coverage: those sharing a
    mineral or country with it."""
    if pk is not None:
        minerals = [*minerals, *Mineral.objects.filter(articles__pk=pk).values_list("pk", flat=True)]
        countries = [*countries, *Country.objects.filter(articles__pk=pk).values_list("pk", flat=True)]
    if not (minerals or countries):
        return set()
    slugs = (
        Article.objects.published()
        .filter(Q(minerals__in=minerals) | Q(countries__in=countries))
        .exclude(pk=pk)
        .values_list("slug", flat=True)
        .distinct()
    )
    return {_article_address(slug) for slug in slugs}


def _front_pages(rank_before, rank_after, *, card_changed, featured):
    """The front page's pages whose items change: where the article is, or everything after where it
    arrived, left or moved (each later item moves along by one)."""
    per_page = settings.ARTICLES_PER_PAGE
    ranks = [rank for rank in (rank_before, rank_after) if rank is not None]
    if not ranks:
        return set()
    last_page = Article.objects.published().count() // per_page + 2

    def page_of(rank):
        # The featured lead is left out of the list, which moves the others up by at most one.
        return max(rank - 1, 0) // per_page + 1

    if featured:
        first, last = 1, last_page
    elif rank_before != rank_after:
        first = page_of(min(ranks))
        last = last_page if len(ranks) == 1 else max(ranks) // per_page + 1
    elif card_changed:
        first, last = page_of(ranks[0]), ranks[0] // per_page + 1
    else:
        return set()
    return {front_page_tag(number) for number in range(first, last + 1)} | {FRONT_ANY}


def article_change_tags(before, after):
    """The tags to drop when an article goes from state `before` to `after` (either None when the
    article does not exist then)."""
    states = [state for state in (before, after) if state is not None]
    tags = set()
    if any(state.scheduled for state in states):
        tags.add(page_cache.TIMETABLE)
    live = [state for state in states if state.live]
    if not live:
        return tags
    pk = live[0].pk
    tags |= {page_cache.EVERY_CHANGE, SITEMAPS}
    tags |= {_article_address(state.slug) for state in live}

    ranks = {id(state): state.rank() for state in live}
    rank_before = ranks.get(id(before)) if before is not None else None
    rank_after = ranks.get(id(after)) if after is not None else None
    went_live_or_left = (rank_before is None) != (rank_after is None)
    card_changed = went_live_or_left or before.card != after.card

    if min(ranks.values()) < settings.FEED_ITEMS:
        tags.add(LATEST_FEED)
    subjects = []
    for state in live:
        subjects += _subjects(pk, state.section_id)
    for subject in subjects:
        addresses = subject_addresses(subject)
        tags |= addresses if card_changed else {address for address in addresses if "/feed/" in address}
    if pk is not None and Correction.objects.filter(article_id=pk).exists():
        tags.add(CORRECTIONS)
    if card_changed:
        tags |= _front_pages(
            rank_before, rank_after, card_changed=True, featured=any(state.featured for state in live)
        )
        if min(ranks.values()) < NEWEST_WINDOW:
            tags.add(NEWEST)
        tags |= _related_pages(pk)
    if went_live_or_left:
        tags |= {index_tag(kind.name) for kind in SUBJECTS}
    elif before.section_id != after.section_id:
        tags.add(index_tag("section"))
    return tags


def membership_tags(article_id, subject):
    """The tags to drop when a live article gains or loses `subject` (a tag, source or author)."""
    article = Article.objects.published().filter(pk=article_id).first()
    if article is None:
        return set()
    state = ArticleState.of(article)
    kind = kind_of(subject)
    tags = article_change_tags(state, state)  # its page, feeds, corrections, sitemaps
    tags |= subject_addresses(subject) | {index_tag(kind.name)}
    if kind.model is Author:  # the byline is on every card
        tags |= _front_pages(
            state.rank(), state.rank(), card_changed=True, featured=state.featured
        ) | _related_pages(article.pk)
        tags |= {
            address
            for other in _subjects(article.pk, article.section_id)
            for address in subject_addresses(other)
        }
        if state.rank() < NEWEST_WINDOW:
            tags.add(NEWEST)
    if kind.model in (Mineral, Country):  # related coverage is found by minerals and countries
        mineral_or_country = (
            {"minerals": [subject.pk]} if kind.model is Mineral else {"countries": [subject.pk]}
        )
        tags |= _related_pages(article.pk, **mineral_or_country)
    return tags


def subject_change_tags(subject, *, before=None):
    """The tags to drop when a subject (section, mineral, country, source or author) changes: its own
    pages under its old and new address, the indexes and navigation that name it, and every live
    article that names it, with the listings showing their cards when the card names it (a section's
    kicker, an author's byline)."""
    kind = kind_of(subject)
    tags = {page_cache.EVERY_CHANGE, SITEMAPS, index_tag(kind.name)}
    for version in (before, subject):
        if version is not None and version.slug:
            tags |= subject_addresses(version)
    if kind.model is Section:
        tags.add(page_cache.NAV)
    if subject.pk is None:
        return tags
    if kind.model is Country:  # the source register and source pages show each source's country
        tags.add(index_tag("source"))
        for source in Source.objects.filter(country=subject):
            tags |= subject_addresses(source)
    articles = Article.objects.published().filter(pk__in=Article.objects.about(subject).values("pk"))
    rows = list(articles.values_list("pk", "slug", "section_id"))
    if not rows:
        return tags
    tags |= {_article_address(slug) for _, slug, _ in rows}
    tags.add(LATEST_FEED)  # feed items name their section, minerals, countries and authors
    for pk, _, section_id in rows:
        tags |= {address for other in _subjects(pk, section_id) for address in subject_addresses(other)}
    if kind.model in (Section, Author):  # on every card of theirs
        tags |= {FRONT_ANY, NEWEST} | {
            front_page_tag(number)
            for number in range(1, Article.objects.published().count() // settings.ARTICLES_PER_PAGE + 3)
        }
        for pk, _, _ in rows:
            tags |= _related_pages(pk)
    if Correction.objects.filter(article__in=[pk for pk, _, _ in rows]).exists():
        tags.add(CORRECTIONS)
    return tags


# Receivers.


# Saving any of these can move an article in or out of lists, or to another address.
_PLACE_FIELDS = {"status", "publish_at", "slug", "section", "section_id"}


def _state_before(instance, update_fields):
    """The article as readers could see it before this save: read from the database, unless the save
    writes only fields that move it nowhere (then its card changed when a card field is written, and
    featuring is taken to have changed)."""
    if instance.pk is None:
        return None
    if update_fields is not None and not _PLACE_FIELDS & set(update_fields):
        state = ArticleState.of(instance)
        if not set(_CARD_FIELDS) & set(update_fields):
            return state
        return replace(state, card=("changed",), featured=state.featured or "is_featured" in update_fields)
    old = Article.objects.filter(pk=instance.pk).first()
    return ArticleState.of(old) if old is not None else None


def article_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:  # loading fixtures is no change readers have seen
        return
    before = _state_before(instance, update_fields)

    def pages():
        saved = Article.objects.filter(pk=instance.pk).first()
        return article_change_tags(before, ArticleState.of(saved) if saved is not None else None)

    page_cache.invalidate_when_committed(pages)


def article_deleting(sender, instance, **kwargs):
    page_cache.invalidate(*article_change_tags(ArticleState.of(instance), None))


def subject_saving(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before = type(instance).objects.filter(pk=instance.pk).first() if instance.pk is not None else None
    page_cache.invalidate(*subject_change_tags(instance, before=before))


def subject_deleting(sender, instance, **kwargs):
    page_cache.invalidate(*subject_change_tags(instance))


def tag_row_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        page_cache.invalidate(*membership_tags(instance.content_object_id, instance.tag))


def citation_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        page_cache.invalidate(*membership_tags(instance.article_id, instance.source))


def authors_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"pre_clear", "post_add", "post_remove"}:
        return
    if reverse:  # an author's articles changed, from the author's side
        pairs = [(pk, instance) for pk in (pk_set or instance.articles.values_list("pk", flat=True))]
    else:
        authors = Author.objects.filter(pk__in=pk_set) if pk_set else instance.authors.all()
        pairs = [(instance.pk, author) for author in authors]
    tags = set()
    for article_id, author in pairs:
        tags |= membership_tags(article_id, author)
    page_cache.invalidate(*tags)


def correction_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    article = Article.objects.published().filter(pk=instance.article_id).only("slug").first()
    if article is not None:
        page_cache.invalidate(
            page_cache.EVERY_CHANGE, CORRECTIONS, _article_address(article.slug), LATEST_FEED, SITEMAPS
        )


def ownership_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        page_cache.invalidate(*subject_change_tags(instance.source))


def disclaimer_changed(sender, instance, raw=False, **kwargs):
    """A disclaimer's words show on the pages of sources that default to it and of live articles that
    carry it or cite such a source (an article keeps the words it went out with until an editor
    refreshes them, but its page is dropped either way)."""
    if raw or instance.pk is None:
        return
    tags = {page_cache.EVERY_CHANGE, index_tag("source")}
    sources = list(Source.objects.filter(default_disclaimer=instance))
    for source in sources:
        tags |= subject_addresses(source)
    slugs = (
        Article.objects.published()
        .filter(Q(disclaimer=instance) | Q(citations__source__in=sources))
        .values_list("slug", flat=True)
        .distinct()
    )
    tags |= {_article_address(slug) for slug in slugs}
    page_cache.invalidate(*tags)


def next_scheduled_publication():
    """When the next scheduled article goes live, or None."""
    return Article.objects.scheduled().order_by("publish_at").values_list("publish_at", flat=True).first()


def connect():
    """Each row readers see somewhere has its receiver; revisions, proposed changes, former slugs and
    the search index show on no cached page (search is never cached)."""

    def on(signal, receiver, model, name):
        signal.connect(receiver, sender=model, dispatch_uid=f"page_cache_{name}_{model._meta.label}")

    on(pre_save, article_saving, Article, "saving")
    on(pre_delete, article_deleting, Article, "deleting")
    for kind in SUBJECTS:
        on(pre_save, subject_saving, kind.model, "saving")
        on(pre_delete, subject_deleting, kind.model, "deleting")
    for through in (Article.minerals.through, Article.countries.through):
        on(post_save, tag_row_changed, through, "saved")
        on(pre_delete, tag_row_changed, through, "deleting")
    on(post_save, citation_changed, Citation, "saved")
    on(pre_delete, citation_changed, Citation, "deleting")
    on(m2m_changed, authors_changed, Article.authors.through, "authors")
    on(post_save, correction_changed, Correction, "saved")
    on(post_delete, correction_changed, Correction, "deleted")
    on(post_save, ownership_changed, SourceOwnership, "saved")
    on(post_delete, ownership_changed, SourceOwnership, "deleted")
    on(post_save, disclaimer_changed, Disclaimer, "saved")
    on(pre_delete, disclaimer_changed, Disclaimer, "deleting")
    page_cache.register_expiry(next_scheduled_publication)
    page_cache.read_with_every_hit(NEWEST)
