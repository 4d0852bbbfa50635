"""Comments posted at the same moment from many threads, against a real PostgreSQL server."""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from comments.models import Comment, CommentLike
from tests.support import factories
from tests.support import factories_comments as cf

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

THREADS = 8


@pytest.fixture(autouse=True)
def postgres_only(settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL; SQLite serialises writers")
    settings.COMMENTS_RATE_PER_IP = 10_000
    settings.COMMENTS_RATE_PER_EMAIL = 10_000
    settings.COMMENTS_LIKES_PER_IP = 10_000


def run_together(work, jobs, spans=None):
    """Run work(job) for every job, each in its own thread, released at the same instant.

    `spans`, if given, is filled with each job's (start, end) on the monotonic clock.
    """
    barrier = threading.Barrier(len(jobs))
    results, errors = [None] * len(jobs), []
    spans = spans if spans is not None else []
    spans[:] = [None] * len(jobs)

    def runner(index, job):
        try:
            barrier.wait(timeout=30)
            started = time.monotonic()
            results[index] = work(job)
            spans[index] = (started, time.monotonic())
        except Exception as exc:  # surfaced in the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def test_many_comments_posted_at_once_are_all_stored_exactly_once():
    """Every one of many simultaneous comments is stored, and none twice."""
    article = factories.article()
    per_thread = 6
    url = reverse("comments:post", args=[article.pk])

    def post_batch(thread_no):
        client = Client()
        codes = []
        for n in range(per_thread):
            data = cf.post_data(
                article, author_email=f"t{thread_no}@example.com", body_text=f"Thread {thread_no} comment {n}"
            )
            codes.append(client.post(url, data, REMOTE_ADDR=f"192.0.2.{thread_no + 1}").status_code)
        return codes

    spans = []
    results = run_together(post_batch, list(range(THREADS)), spans)
    # Every thread was still posting when the last one started: the writes really overlapped.
    assert max(start for start, _ in spans) < min(end for _, end in spans)
    assert all(code == 302 for codes in results for code in codes)
    bodies = list(Comment.objects.filter(article=article).values_list("body_text", flat=True))
    assert len(bodies) == THREADS * per_thread
    assert set(bodies) == {f"Thread {t} comment {n}" for t in range(THREADS) for n in range(per_thread)}


def test_the_same_words_sent_at_once_from_several_forms_store_one():
    """The same words sent at once from several open forms are stored once; the rest are duplicates."""
    article = factories.article()
    url = reverse("comments:post", args=[article.pk])

    def submit(_):
        data = cf.post_data(article, author_email="double@example.com", body_text="Clicked twice.")
        return Client().post(url, data).status_code

    codes = run_together(submit, list(range(THREADS)))
    assert Comment.objects.filter(article=article).count() == 1
    assert sorted(codes) == [302] + [400] * (THREADS - 1)


def test_one_form_submitted_many_times_at_once_stores_one():
    """One form sent many times at once stores one comment; the repeats are refused or answered as held."""
    article = factories.article()
    url = reverse("comments:post", args=[article.pk])
    data = cf.post_data(article, author_email="double@example.com", body_text="Clicked twice.")

    def submit(_):
        return Client().post(url, data).status_code

    codes = run_together(submit, list(range(THREADS)))
    assert Comment.objects.filter(article=article).count() == 1
    assert set(codes) <= {302, 400} and 302 in codes


def test_simultaneous_likes_are_all_counted_once():
    """Likes from many readers at once, each sent twice, leave like_count equal to the distinct voters."""
    comment = cf.comment()
    url = reverse("comments:like", args=[comment.pk])

    def like_twice(reader_no):
        client = Client(REMOTE_ADDR=f"198.51.100.{reader_no + 1}")
        return [client.post(url).status_code, client.post(url).status_code]

    run_together(like_twice, list(range(THREADS)))
    comment.refresh_from_db()
    assert CommentLike.objects.filter(comment=comment).count() == THREADS
    assert comment.like_count == THREADS
