"""Revisions in the admin: an article's history, two revisions side by side with the changed words
marked, restoring, and the review of proposed changes (approve, send back with a note, withdraw),
plus the editors' queue of proposed changes."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from articles import selectors
from articles.models import ArticleRevision, ProposedChange
from articles.provenance import provenance_warnings
from articles.revisions import review, snapshots
from articles.services import can_publish

REVISIONS_PER_PAGE = 50


def revision_url(name, revision):
    return reverse(f"admin:articles_article_{name}", args=[revision.article_id, revision.number])


def field_labels(names):
    return ", ".join(snapshots.BY_NAME[name].label for name in names if name in snapshots.BY_NAME)


def error_text(error):
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


class ArticleRevisionsMixin:
    """For ArticleAdmin: the History button lists revisions; compare, review and restore pages sit
    under the article's own admin address."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/revisions/compare/",
                wrap(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:number>/review/",
                wrap(self.review_view),
                name="articles_article_review",
            ),
            path(
                "<path:object_id>/revisions/<int:number>/restore/",
                wrap(require_POST(self.restore_view)),
                name="articles_article_restore",
            ),
        ] + super().get_urls()

    def _viewable_article(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def _page(self, request, article, template, title, **context):
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": article,
                "title": title,
                "subtitle": str(article),
                "can_change": self.has_change_permission(request, article),
                "is_editor": can_publish(request.user),
                **context,
            },
        )

    def history_view(self, request, object_id, extra_context=None):
        article = self._viewable_article(request, object_id)
        revisions = article.revisions.select_related("created_by", "reviewed_by").order_by("-number")
        page = Paginator(revisions, REVISIONS_PER_PAGE).get_page(request.GET.get("p"))
        for revision in page:
            revision.changed_labels = field_labels(revision.changed)
        return self._page(
            request,
            article,
            "admin/articles/article/revision_list.html",
            f"Revisions of “{article}”",
            page=page,
            compare_url=reverse("admin:articles_article_compare", args=[article.pk]),
        )

    def compare_view(self, request, object_id):
        article = self._viewable_article(request, object_id)
        try:
            numbers = int(request.GET["from"]), int(request.GET["to"])
        except (KeyError, ValueError):
            self.message_user(request, "Choose two revisions to compare.", messages.WARNING)
            return HttpResponseRedirect(reverse("admin:articles_article_history", args=[article.pk]))
        older, newer = (
            get_object_or_404(article.revisions.select_related("created_by"), number=n)
            for n in sorted(numbers)
        )
        rows = snapshots.compare(older.snapshot, newer.snapshot)
        return self._page(
            request,
            article,
            "admin/articles/article/revision_compare.html",
            f"Revision {older.number} and revision {newer.number} of “{article}”",
            sides=[older, newer],
            left=f"Revision {older.number}",
            right=f"Revision {newer.number}",
            changed_rows=[row for row in rows if row.changed],
            unchanged_rows=[row for row in rows if not row.changed],
        )

    def review_view(self, request, object_id, number):
        article = self._viewable_article(request, object_id)
        proposal = get_object_or_404(
            article.revisions.proposals().select_related("created_by", "base"), number=number
        )
        if request.method == "POST":
            return self._review_decide(request, article, proposal)
        live = snapshots.take(article.pk)
        latest = article.revisions.saved().select_related("created_by").order_by("-number").first()
        rows = snapshots.compare(live, proposal.snapshot, names=snapshots.PROPOSED)
        return self._page(
            request,
            article,
            "admin/articles/article/revision_review.html",
            f"Proposed change to “{article}”",
            proposal=proposal,
            changed_rows=[row for row in rows if row.changed],
            unchanged_rows=[row for row in rows if not row.changed],
            changed_since=latest if latest is not None and proposal.base_id != latest.pk else None,
            warnings=provenance_warnings(snapshots.cited_sources(proposal.snapshot)),
            can_withdraw=proposal.is_pending
            and (can_publish(request.user) or proposal.created_by_id == request.user.pk),
        )

    def _review_decide(self, request, article, proposal):
        action, note = request.POST.get("action"), request.POST.get("note", "")
        try:
            if action == "approve":
                saved, notes = review.revision_approve(revision=proposal, user=request.user, note=note)
                done = (
                    f"Approved: the change is live as revision {saved.number}."
                    if saved
                    else ("Approved: the article already read this way, so nothing changed.")
                )
                self.message_user(request, " ".join([done, *notes]), messages.SUCCESS)
                for warning in provenance_warnings(snapshots.cited_sources(proposal.snapshot)):
                    self.message_user(request, f"Provenance warning. {warning}", messages.WARNING)
                return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
            if action == "send_back":
                review.revision_send_back(revision=proposal, user=request.user, note=note)
                self.message_user(request, "Sent back to the writer with your note.", messages.SUCCESS)
            elif action == "withdraw":
                review.revision_withdraw(revision=proposal, user=request.user)
                self.message_user(request, "The proposed change was withdrawn.", messages.SUCCESS)
            else:
                self.message_user(request, "Choose approve, send back or withdraw.", messages.ERROR)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, error_text(error), messages.ERROR)
        return HttpResponseRedirect(revision_url("review", proposal))

    def restore_view(self, request, object_id, number):
        article = self._viewable_article(request, object_id)
        revision = get_object_or_404(article.revisions, number=number)
        try:
            restored, notes = review.revision_restore(revision=revision, user=request.user)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, error_text(error), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:articles_article_history", args=[article.pk]))
        if restored is None:
            done = f"Nothing to restore: the article already matches revision {number}."
        elif restored.is_pending:
            done = (
                f"Restoring revision {number} was sent to an editor as a proposed change "
                f"(revision {restored.number})."
            )
        else:
            done = f"Restored revision {number} as revision {restored.number}."
        self.message_user(request, " ".join([done, *notes]), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_history", args=[article.pk]))

    def review_context(self, request, article):
        """What the change page says above the form about proposed changes to the article."""
        pending = selectors.pending_proposals(article)
        for proposal in pending:
            proposal.review_url = revision_url("review", proposal)
            proposal.changed_labels = field_labels(proposal.changed)
        returned = selectors.returned_proposals(article, request.user)
        for proposal in returned:
            proposal.review_url = revision_url("review", proposal)
        return {
            "pending_proposals": pending,
            "returned_proposals": returned,
            "edits_are_proposed": article.status == article.Status.PUBLISHED
            and not can_publish(request.user),
            "is_editor": can_publish(request.user),
        }


class ReviewStateFilter(admin.SimpleListFilter):
    """Waiting changes by default: the queue is what editors have yet to decide."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            (state.value, state.label)
            for state in ArticleRevision.State
            if state != ArticleRevision.State.SAVED
        ]

    def value(self):
        return super().value() or ArticleRevision.State.PROPOSED

    def queryset(self, request, queryset):
        return queryset.filter(state=self.value())

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


@admin.register(ProposedChange)
class ProposedChangeAdmin(admin.ModelAdmin):
    """Changes writers proposed to published articles. Open one to compare it with the live article,
    then approve it or send it back with a note. Writers see their own proposals here."""

    list_display = ["article", "proposed_by", "created_at", "fields_changed", "state", "review_link"]
    list_display_links = None
    list_filter = [ReviewStateFilter]
    search_fields = ["article__title", "summary"]
    list_select_related = ["article", "created_by"]

    def get_queryset(self, request):
        proposals = super().get_queryset(request).proposals()
        if not can_publish(request.user):
            proposals = proposals.filter(created_by=request.user)
        return proposals

    def has_module_permission(self, request):
        return request.user.has_perm("articles.view_article")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="proposed by", ordering="created_by__username")
    def proposed_by(self, obj):
        return obj.created_by or "the system"

    @admin.display(description="changes")
    def fields_changed(self, obj):
        return field_labels(obj.changed)

    @admin.display(description="")
    def review_link(self, obj):
        label = "Review" if obj.is_pending else "View"
        return format_html('<a class="button" href="{}">{}</a>', revision_url("review", obj), label)
