"""How a returning commenter proves they are the reader an address's approved comments came from.

An email address is typed, not proved: anyone can type an approved reader's address (and any name).
So trust is earned by the browser as well: each comment posted sets a signed cookie listing the
comments that browser has posted (the last COMMENTER_MEMORY of them), and a new comment goes live at
once only when one of those is approved and was written under the same address. A comment under an
approved address from a browser without that proof (another device, a cleared cookie, someone else)
waits for an editor, as a first comment does.
"""

from django.conf import settings
from django.core import signing

COOKIE = "newsroom_commenter"
SALT = "comments.commenter"
COMMENTER_MEMORY = 10
MAX_AGE = 60 * 60 * 24 * 365


def earlier_comment_ids(request):
    """The ids of the comments this browser has posted, as its signed cookie lists them."""
    try:
        value = request.get_signed_cookie(COOKIE, salt=SALT, max_age=MAX_AGE)
    except (KeyError, signing.BadSignature):
        return []
    return [int(part) for part in value.split(".") if part.isdigit()][-COMMENTER_MEMORY:]


def remember(response, earlier_ids, comment):
    """Add `comment` to the browser's list of its comments."""
    ids = [*earlier_ids, comment.pk][-COMMENTER_MEMORY:]
    response.set_signed_cookie(
        COOKIE,
        ".".join(map(str, ids)),
        salt=SALT,
        max_age=MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
