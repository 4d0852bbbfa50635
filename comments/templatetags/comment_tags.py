from dataclasses import dataclass

from django import template

from comments.forms import CommentForm, CommentSecurityForm
from comments.moderation import Moderator
from comments.selectors import comment_thread

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
    roots, nodes = comment_thread(article=article)
    closed_reason = Moderator().closed_reason(article)
    form = security_form = reply_to = None
    if not closed_reason:
        reply_to = nodes.get(_reply_to_id(request))
        form = CommentForm(
            article=article, user=request.user,
            initial={"parent": reply_to.comment.pk} if reply_to else None,
        )
        security_form = CommentSecurityForm(article=article)
    return Discussion(
        article=article, roots=roots, count=len(nodes), closed_reason=closed_reason,
        form=form, security_form=security_form, reply_to=reply_to,
    )
