"""A writer's working copy of a live article: the article as published with the writer's pending
proposal on top. The change form shows it and a further save builds on it, so a writer's proposals
add up (standfirst, then highlights) instead of the second replacing the first; the editor reviews
the whole difference from the published version (articles.admin.revisions).

Only the fields the proposal changed are laid over the article, so what an editor changed in the
published version since the proposal was made is not quietly taken back by the writer's next save.
"""

from dataclasses import dataclass

from articles.models import ArticleRevision, Country, Mineral
from articles.revisions import snapshots
from articles.services import needs_review

# Relations the form shows from the proposal rather than from the stored article.
RELATIONS = ("authors", "minerals", "countries", "citations")


@dataclass(frozen=True)
class WorkingCopy:
    proposal: ArticleRevision
    fields: tuple  # names of the fields the proposal changed, of those a writer may propose

    def form_initial(self):
        """The proposal's byline and tags as the article form's initial values."""
        snapshot, initial = self.proposal.snapshot, {}
        if "authors" in self.fields:
            initial["authors"] = [author["id"] for author in snapshot["authors"]]
        for name, model in (("minerals", Mineral), ("countries", Country)):
            if name in self.fields:
                initial[name] = list(
                    model.objects.filter(name__in=snapshot[name]).values_list("pk", flat=True)
                )
        return initial

    def citations(self):
        """The proposal's citations as the inline's rows; None when it kept the published ones."""
        if "citations" not in self.fields:
            return None
        return [
            {"source": c["source_id"], "title": c["title"], "url": c["url"], "note": c["note"], "position": n}
            for n, c in enumerate(self.proposal.snapshot["citations"])
        ]


def pending_proposal(*, article, user):
    """`user`'s proposal for `article` waiting for an editor (a newer one replaces an older one)."""
    if user is None or article.pk is None:
        return None
    return (
        ArticleRevision.objects.pending()
        .filter(article_id=article.pk, created_by=user)
        .order_by("-number")
        .first()
    )


def working_copy(*, article, user):
    """Lay `user`'s pending proposal over `article` (the stored row, unsaved afterwards). Returns the
    WorkingCopy, or None when `user`'s edits to it are not proposals or nothing is pending."""
    if not needs_review(user=user, previous=article):
        return None
    proposal = pending_proposal(article=article, user=user)
    if proposal is None:
        return None
    fields = tuple(name for name in snapshots.PROPOSED if name in proposal.changed)
    # Relations are shown through the form's initial values and the inline (see WorkingCopy); the
    # row's own fields go on the instance, so an unchanged photo stays the proposed one on save.
    snapshots.apply(article, proposal.snapshot, [name for name in fields if name not in RELATIONS])
    return WorkingCopy(proposal, fields)
