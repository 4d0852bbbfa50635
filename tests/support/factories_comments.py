"""Builders for comment test data; they sit beside tests/support/factories.py and use it."""

import itertools
import time

from django.core import signing

from comments.forms import TOKEN_SALT
from comments.models import Comment
from tests.support import factories

_counter = itertools.count(1)


def comment(*, article=None, **fields):
    """An approved comment from a reader unless the fields say otherwise."""
    n = next(_counter)
    values = {
        "author_name": f"Reader {n}",
        "author_email": f"reader{n}@example.com",
        "body_text": f"Comment number {n} about supply chains.",
        "status": Comment.Status.APPROVED,
        "ip_address": "198.51.100.10",
        **fields,
    }
    return Comment.objects.create(article=article or factories.article(), **values)


def security_token(article, *, age=30, article_pk=None):
    """A form token as the article page would have issued it `age` seconds ago."""
    payload = {"article": article.pk if article_pk is None else article_pk, "issued": time.time() - age}
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def post_data(article, **overrides):
    """What a reader's browser sends from the comment form, filled in and submitted at human speed."""
    n = next(_counter)
    data = {
        "token": security_token(article),
        "honeypot": "",
        "author_name": f"Poster {n}",
        "author_email": f"poster{n}@example.com",
        "author_url": "",
        "body_text": f"A considered point number {n} about cobalt refining.",
        "parent": "",
        **overrides,
    }
    return {key: value for key, value in data.items() if value is not None}
