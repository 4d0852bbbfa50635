"""The comment POST views: each returns early on its first failure."""

import logging
import secrets

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from comments.forms import CommentForm, CommentSecurityForm, make_security_token
from comments.models import Comment
from comments.moderation import Moderator
from comments.services import DuplicateComment, comment_create, comment_like
from core import clients, ratelimit
from core.crossorigin import same_origin_required

logger = logging.getLogger(__name__)

READER_COOKIE = "newsroom_reader"
READER_COOKIE_SALT = "comments.reader"
LIKE_CAP_WINDOW = 24 * 60 * 60
HELD_MESSAGE = "Thank you. Your comment is awaiting moderation and will appear once an editor approves it."


def _answer_held(request, article):
    # Bots caught by the security checks get exactly this answer too, so they learn nothing. Tagged
    # "comment": the article page shows it beside the comment form, where the reader is looking.
    messages.info(request, HELD_MESSAGE, extra_tags="comment held")
    return redirect(article.get_absolute_url() + "#comments")


def _answer_errors(request, article, form, security=None):
    """Re-show the reader's form with its errors.

    A token that passed is sent back as it came: it keeps the time the reader first opened the
    form, so a quick correction is not mistaken for a machine-speed post.
    """
    if "parent" in form.errors:
        # The hidden field cannot be corrected by hand; clear it so the next post is a new comment.
        form.data = form.data.copy()
        form.data["parent"] = ""
    if security is None or not security.is_valid():
        security = CommentSecurityForm(article=article)
    context = {
        "article": article,
        "form": form,
        "security_form": security,
        "reply_to": None if "parent" in form.errors else form.cleaned_data.get("parent"),
    }
    return render(request, "comments/post_errors.html", context, status=400)


def _answer_confirm(request, article, form):
    """A form sent with no token (the page's script did not run): show it back, with a token, to send
    again."""
    context = {
        "article": article,
        "form": form,
        "security_form": CommentSecurityForm(article=article),
        "reply_to": form.cleaned_data.get("parent"),
    }
    return render(request, "comments/confirm.html", context)


def _over_rate_limit(request, scope, identity, *, limit, message):
    """The 429 answer once `identity` has used up `limit` in the comment window, else None."""
    return ratelimit.limited(
        request, scope, identity, limit=limit, window=settings.COMMENTS_RATE_WINDOW, message=message
    )


@never_cache
@require_GET
def security_token(request, article_id):
    """A fresh anti-spam token for the comment form of a cached article page, fetched by its script
    when the reader starts on the form: every reader gets their own, timed from that moment."""
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    if Moderator().closed_reason(article):
        return JsonResponse({"error": "closed"}, status=403)
    return JsonResponse({"token": make_security_token(article)})


@same_origin_required
@require_POST
def post_comment(request, article_id):
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    closed_reason = Moderator().closed_reason(article)
    if closed_reason:
        messages.error(request, closed_reason)
        return redirect(article.get_absolute_url() + "#comments")

    staff = clients.is_staff(request.user)
    ip = clients.client_ip(request)
    if not staff and (
        limited := _over_rate_limit(
            request,
            "comments-ip",
            ip,
            limit=settings.COMMENTS_RATE_PER_IP,
            message="Many comments have come from your network in a short time.",
        )
    ):
        return limited

    security = CommentSecurityForm(request.POST, article=article, skip_speed_check=staff)
    spam_reason = "" if security.is_valid() else security.spam_reason()
    if security.must_drop():
        logger.info("Dropped a comment on article %s: %s", article.pk, spam_reason)
        return _answer_held(request, article)

    form = CommentForm(request.POST, article=article, user=request.user)
    if not form.is_valid():
        return _answer_errors(request, article, form, security)
    if spam_reason == "missing":
        return _answer_confirm(request, article, form)
    if not staff and (
        limited := _over_rate_limit(
            request,
            "comments-email",
            form.cleaned_data["author_email"],
            limit=settings.COMMENTS_RATE_PER_EMAIL,
            message="Many comments have come from your email address in a short time.",
        )
    ):
        return limited

    try:
        comment = comment_create(
            article=article,
            data=form.cleaned_data,
            ip=ip,
            user_agent=request.headers.get("User-Agent", ""),
            user=request.user,
            spam_reason=spam_reason,
        )
    except DuplicateComment:
        if spam_reason:
            return _answer_held(request, article)
        form.add_duplicate_error()
        return _answer_errors(request, article, form, security)
    security.mark_used()

    if comment.status != Comment.Status.APPROVED:
        if spam_reason:
            logger.info("Stored comment %s as spam: %s", comment.pk, spam_reason)
        return _answer_held(request, article)
    messages.success(request, "Thank you. Your comment is live.")
    return redirect(comment.get_absolute_url())


def _reader_id(request):
    """The reader's anonymous id from the signed cookie, or a new one (and whether it is new)."""
    try:
        return request.get_signed_cookie(READER_COOKIE, salt=READER_COOKIE_SALT), False
    except (KeyError, signing.BadSignature):
        return secrets.token_urlsafe(16), True


@same_origin_required
@require_POST
def like_comment(request, pk):
    comment = get_object_or_404(
        Comment.objects.approved().filter(article__in=Article.objects.published()).select_related("article"),
        pk=pk,
    )
    closed_reason = Moderator().closed_reason(comment.article)
    if closed_reason:
        # A closed discussion is read-only: its like counts are final too.
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"error": closed_reason}, status=403)
        messages.error(request, closed_reason)
        return redirect(comment.get_absolute_url())
    ip = clients.client_ip(request)
    if limited := _over_rate_limit(
        request,
        "comments-like",
        ip,
        limit=settings.COMMENTS_LIKES_PER_IP,
        message="Many likes have come from your network in a short time.",
    ):
        return limited

    reader_id, new_reader = _reader_id(request)
    if ratelimit.allow(
        "comments-like-comment",
        f"{comment.pk}|{ip}",
        limit=settings.COMMENTS_LIKES_PER_COMMENT_PER_IP,
        window=LIKE_CAP_WINDOW,
    ):
        likes, added = comment_like(comment=comment, voter=clients.fingerprint(f"{reader_id}|{ip}"))
    else:
        # A script that drops its cookie is a new reader on every request; past this many likes
        # from one address on one comment, more are answered as repeats and not counted.
        likes, added = comment.like_count, False

    if "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"likes": likes, "added": added})
    else:
        # Either way the page carries a message, so the reader gets it fresh, with the count as it now is.
        if added:
            messages.success(request, "Thank you: your like is counted.")
        else:
            messages.info(request, "You have already liked that comment.")
        response = redirect(comment.get_absolute_url())
    if new_reader:
        response.set_signed_cookie(
            READER_COOKIE,
            reader_id,
            salt=READER_COOKIE_SALT,
            max_age=60 * 60 * 24 * 365,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response
