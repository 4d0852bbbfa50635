"""Reads for the editorial desk that cross relations: outdated disclaimers, proposals awaiting review."""

from articles.models import Article, ArticleRevision, Citation, Disclaimer


def articles_with_outdated_disclaimer(source):
    """Published articles led by `source` whose disclaimer, as published, differs from what the
    source's current facts (and the current disclaimers) would give, newest first."""
    site_default = Disclaimer.objects.site_default()
    candidates = (
        Article.objects.filter(status=Article.Status.PUBLISHED, disclaimer_frozen_at__isnull=False)
        .filter(pk__in=Citation.objects.filter(source=source).values("article"))
        .select_related("disclaimer")
        .with_citations()
    )
    return [
        article
        for article in candidates
        if article.lead_source == source
        and article.current_disclaimer_text(site_default=site_default) != article.published_disclaimer
    ]


def pending_proposals(article):
    """Proposed changes to `article` waiting for an editor, oldest first."""
    return list(
        ArticleRevision.objects.pending()
        .filter(article=article)
        .select_related("created_by")
        .order_by("number")
    )


def returned_proposals(article, user):
    """`user`'s proposals for `article` an editor sent back since their last saved or pending change."""
    latest = (
        ArticleRevision.objects.filter(article=article, created_by=user)
        .exclude(state=ArticleRevision.State.RETURNED)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    returned = ArticleRevision.objects.filter(
        article=article, created_by=user, state=ArticleRevision.State.RETURNED
    )
    if latest is not None:
        returned = returned.filter(number__gt=latest)
    return list(returned.select_related("reviewed_by").order_by("-number"))
