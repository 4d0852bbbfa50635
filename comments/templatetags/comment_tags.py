from dataclasses import dataclass

from django import template
from django.conf import settings

from comments.forms import CommentForm, CommentSecurityForm
from comments.moderation import Moderator
from comments.invalidation import article_tag
from comments.selectors import comment_thread
from core import page_cache

register = template.Library()


@dataclass
class Discussion:
    article: object
    roots: list
    count: int
    closed_reason: str
    form: CommentForm | None
    security_form: CommentSecurityForm | None
    reply_to: object  # the CommentNode the form answers, or None

    @property
    def is_open(self):
        return not self.closed_reason


def _reply_to_id(request):
    try:
        return int(request.GET.get("replyto", ""))
    except (TypeError, ValueError):
        return None


@register.simple_tag(takes_context=True)
def comment_discussion(context, article):
    """Everything the comment section of an article page needs: thread, count, and a fresh form."""
    request = context["request"]
    page_cache.depends_on(request, article_tag(article.pk))  # before the thread is read
    roots, nodes = comment_thread(article=article)
    moderator = Moderator()
    closed_reason = moderator.closed_reason(article)
    if not closed_reason:
        page_cache.expires(request, at=moderator.closes_at(article))
    if nodes:
        page_cache.expires(request, seconds=getattr(settings, "COMMENTS_LIKE_COUNT_LAG", 60))
    form = security_form = reply_to = None
    if not closed_reason:
        reply_to = nodes.get(_reply_to_id(request))
        form = CommentForm(
            article=article, user=request.user,
            initial={"parent": reply_to.comment.pk} if reply_to else None,
        )
        # No token in the page: it may be served to every reader from the page cache, so the
        # page's script fetches each reader's own token (comments.views.security_token).
        security_form = CommentSecurityForm(article=article, issue_token=False)
    return Discussion(
        article=article, roots=roots, count=len(nodes), closed_reason=closed_reason,
        form=form, security_form=security_form, reply_to=reply_to,
    )
