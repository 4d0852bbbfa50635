"""The article page's discussion, through a template tag, so articles knows nothing of comments."""

from dataclasses import dataclass, field

from django import template
from django.conf import settings
from django.contrib import messages
from django.template.loader import render_to_string

from comments.forms import CommentForm, CommentSecurityForm
from comments.invalidation import article_tag
from comments.moderation import Moderator
from comments.selectors import comment_thread, thread_rows
from comments.selectors import most_discussed as most_discussed_articles
from core import page_cache

register = template.Library()


@dataclass
class Discussion:
    article: object
    count: int
    thread_html: str
    closed_reason: str
    form: CommentForm | None
    security_form: CommentSecurityForm | None
    reply_to: object  # the CommentNode the form answers, or None
    form_html: str = ""  # the form at the end of the section (not when it sits under a reply)
    # Messages about the reader's own comment ("awaiting moderation"), shown beside the form.
    acknowledgements: list = field(default_factory=list)

    @property
    def is_open(self):
        return not self.closed_reason


def _reply_to_id(request):
    try:
        return int(request.GET.get("replyto", ""))
    except (TypeError, ValueError):
        return None


def _thread(article, *, is_open, reply_to_id=None, form=None, security_form=None):
    """(number of approved comments, the thread's HTML, the node a no-script reply answers)."""
    roots, nodes = comment_thread(article=article)
    reply_to = nodes.get(reply_to_id)
    if reply_to is not None:
        form.initial["parent"] = reply_to.comment.pk
    html = render_to_string(
        "comments/thread.html",
        {
            "rows": thread_rows(roots),
            "is_open": is_open,
            "article": article,
            "reply_to": reply_to,
            "form": form,
            "security_form": security_form,
        },
    )
    return len(nodes), html, reply_to


@register.simple_tag(takes_context=True)
def comment_discussion(context, article):
    """Everything the comment section of an article page needs: thread, count, and a fresh form.

    The thread is the costliest part of the article page to render, so it is kept as a fragment
    under the version of this article's comments (whether the discussion is open is part of its
    name); a like changes no version, so a fragment lives no longer than COMMENTS_LIKE_COUNT_LAG
    seconds. An editorial change, which drops every page, leaves the threads as they were.
    """
    request = context["request"]
    page_cache.depends_on(request, article_tag(article))  # before the thread is read
    moderator = Moderator()
    closed_reason = moderator.closed_reason(article)
    form = security_form = reply_to = None
    like_lag = settings.COMMENTS_LIKE_COUNT_LAG
    if not closed_reason:
        page_cache.expires(request, at=moderator.closes_at(article))
        form = CommentForm(article=article, user=request.user)
        # No token in the page: it may be served to every reader from the page cache, so the
        # page's script fetches each reader's own token (comments.views.security_token).
        security_form = CommentSecurityForm(article=article, issue_token=False)
    reply_to_id = _reply_to_id(request) if form is not None else None
    if reply_to_id is None:
        count, html = page_cache.fragment(
            f"comment-thread:{article.pk}:{bool(form)}",
            tags=[article_tag(article)],
            render=lambda: _thread(article, is_open=form is not None)[:2],
            timeout=like_lag,
            request=request,
        )
    else:
        # A reader without script replying: the form sits under the comment answered. Rare, never kept.
        count, html, reply_to = _thread(
            article,
            is_open=True,
            reply_to_id=reply_to_id,
            form=form,
            security_form=security_form,
        )
    if count:
        page_cache.expires(request, seconds=like_lag)
    form_html = ""
    if form is not None and reply_to is None:

        def render_form():
            return render_to_string(
                "comments/form.html", {"article": article, "form": form, "security_form": security_form}
            )

        # A reader's form is the same for every reader (it carries no token); a moderator's is their own.
        form_html = (
            render_form()
            if form.is_staff
            else page_cache.fragment(
                f"comment-form:{article.pk}",
                tags=[],
                render=render_form,
            )
        )
    # Looked at only when there are messages: reading them marks the page as this reader's own.
    waiting = messages.get_messages(request)
    acknowledgements = (
        [message for message in waiting if "comment" in message.extra_tags.split()] if len(waiting) else []
    )
    return Discussion(
        article=article,
        count=count,
        thread_html=html,
        closed_reason=closed_reason,
        form=form,
        security_form=security_form,
        reply_to=reply_to,
        form_html=form_html,
        acknowledgements=acknowledgements,
    )


# The front page's "Most discussed": comments of the last week, refreshed every few minutes (a
# comment changes no version the front page depends on, so the page is kept no longer than that).
MOST_DISCUSSED_DAYS = 7
MOST_DISCUSSED_LIMIT = 5
MOST_DISCUSSED_SECONDS = 300


@register.simple_tag(takes_context=True)
def most_discussed(context):
    """The articles readers are discussing most this week, for the side of the front page (nothing when none
    are)."""
    request = context["request"]
    page_cache.expires(request, seconds=MOST_DISCUSSED_SECONDS)

    def render():
        articles = most_discussed_articles(days=MOST_DISCUSSED_DAYS, limit=MOST_DISCUSSED_LIMIT)
        return render_to_string("comments/most_discussed.html", {"articles": articles})

    return page_cache.fragment(
        "most-discussed",
        tags=[page_cache.CONTENT],
        render=render,
        timeout=MOST_DISCUSSED_SECONDS,
        request=request,
    )
