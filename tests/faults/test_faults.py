"""The site in production mode (gunicorn, PostgreSQL, Redis, one RQ worker, an SMTP server, each the
suite's own) under a light load of page views and a reader's comment or signup every second, while
each fault is injected in turn: Redis stopped and restarted, PostgreSQL restarted, PostgreSQL
stopped for a while, the SMTP server stopped in the middle of the daily update, the worker killed
with SIGKILL in the middle of it; then readers signing up while a second update's batches are queued
(their confirmations must not wait for the send), and the SMTP server hanging up in the middle of a
message's DATA (the message must go once, spending no attempt). The last test checks what readers
were promised: every accepted comment and signup stored exactly once, every confirmation mail sent,
every subscriber mailed once, no 500 answer at any time, and no reader's address in any log.

The whole run happens twice, on RQ (Redis) and on the database queue. Run with NEWSROOM_FAULTS=1
(.ci/run does); figures per fault are printed at the end of each run and, with
NEWSROOM_FAULTS_REPORT=path, written there as JSON.
"""

import collections
import json
import os
import re
import secrets
import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.faults import stack
from tests.faults.load import Load

pytestmark = pytest.mark.faults

SUBSCRIBERS = 500  # the daily update's audience
SMTP_DELAY = 0.02  # seconds the sink takes per message: the send lasts long enough to be interrupted
REDIS_DOWN, POSTGRES_DOWN, SMTP_DOWN = 8, 12, 6  # seconds each outage lasts
SETTLE = 5  # seconds of load before and after each fault
DRAIN_TIMEOUT = 90  # seconds for the worker to finish everything once the faults are over

SEED = f"""
from datetime import timedelta
from django.utils import timezone
from newsletter.models import Subscriber
from tests.support import factories as f
now = timezone.now()
stories = [
    f.article(title=f"Fault suite story {{n}}", publish_at=now - timedelta(hours=1, minutes=n))
    for n in range(3)
]
Subscriber.objects.bulk_create(
    Subscriber(email=f"reader{{n:04d}}@faults.example", status="active", confirmed_at=now)
    for n in range({SUBSCRIBERS})
)
print(stories[0].pk, stories[0].get_absolute_url(), timezone.localdate(stories[0].publish_at).isoformat())
"""


def site_env(pg, redis, smtp, port, backend):
    zone = ZoneInfo("UTC")
    # Far from now, so the schedule never starts a daily update by itself: the suite starts it by hand.
    send_time = datetime.now(zone) - timedelta(hours=9)
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            (
                "DJANGO_",
                "DATABASE_URL",
                "REDIS_URL",
                "EMAIL_",
                "NEWSLETTER_",
                "TASKS_",
                "COMMENTS_",
                "NEWSROOM_",
                "WORKER_",
                "SITE_URL",
                "TIME_ZONE",
                "CACHE_KEY_PREFIX",
            )
        )
    }
    return {
        **inherited,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback; everything else as in production
        "DATABASE_URL": pg.url("newsroom"),
        "REDIS_URL": redis.url(0),
        "TASKS_BACKEND": backend,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "TIME_ZONE": "UTC",
        "NEWSLETTER_SEND_TIME": f"{send_time:%H:%M}",
        "NEWSLETTER_REVIEW_MINUTES": "1",
        "NEWSLETTER_CATCH_UP_HOURS": "1",
        # The suite's time scale: the schedule ticks every second and a dead worker's lease is 8 s
        # (production: 15 s and 2 minutes); retry backoff keeps its production values.
        "WORKER_TICK_SECONDS": "1",
        "NEWSLETTER_LEASE_SECONDS": "8",
        "NEWSLETTER_REQUEUE_SECONDS": "5",
        "NEWSLETTER_BATCH_SIZE": "50",
        "NEWSLETTER_CHUNK_SIZE": "5",
        # One machine plays every reader: limits per network address would stop the load, not a fault.
        "COMMENTS_MIN_SUBMIT_SECONDS": "0",
        "COMMENTS_RATE_PER_IP": "100000",
        "COMMENTS_RATE_PER_EMAIL": "100000",
        "NEWSLETTER_SIGNUP_IP_LIMIT": "100000",
        "SEARCH_RATE_LIMIT": "100000",
        "NEWSROOM_PAGE_CACHE_OUTAGE_SECONDS": str(OUTAGE_COPY_SECONDS),
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }


class Site:
    """Everything the suite runs, and the figures it keeps."""

    def __init__(self, backend):
        self.backend = backend
        self.pg, self.redis = stack.Postgres(), stack.Redis(stack.Path(os.environ.get("TMPDIR", "/tmp")))
        self.sink = stack.Sink(SMTP_DELAY)
        self.smtp = stack.SmtpServer(self.sink)
        self.port = stack.free_port()
        self.figures = {}
        self.restored = {}  # phase -> monotonic time the faulty service came back

    def start(self, log_dir):
        self.pg.init()
        self.pg.start()
        self.pg.query("postgres", "CREATE DATABASE newsroom")
        self.redis.start()
        self.smtp.start()
        self.env = site_env(self.pg, self.redis, self.smtp, self.port, self.backend)
        stack.manage(self.env, "migrate", "--noinput", "-v", "0")
        if not (stack.ROOT / "staticfiles" / "staticfiles.json").exists():
            stack.manage(self.env, "collectstatic", "--noinput", "-v", "0")
        article_id, article_path, self.story_day = stack.manage(self.env, "shell", "-c", SEED).split()[-3:]
        self.web = stack.gunicorn(self.env, self.port, log_dir)
        self.worker = stack.worker(self.env, log_dir)
        self.web.start()
        self.worker.start()
        assert stack.wait_for(lambda: stack.http_ready(self.port), 30), self.web.output()
        self.load = Load(
            self.port,
            int(article_id),
            article_path,
            pages=[
                "/",
                article_path,
                "/newsletter/archive/",
                "/search/?q=lithium",
                f"/comments/token/{article_id}/",
            ],
        )

    def stop(self):
        for process in (getattr(self, "worker", None), getattr(self, "web", None)):
            if process is not None:
                process.stop()
        self.smtp.stop()
        self.redis.stop()
        self.pg.stop()
        self.pg.remove()

    def sql(self, query, params=None):
        return self.pg.query("newsroom", query, params)

    # -- phases ----------------------------------------------------------------------------------------
    def phase(self, name):
        self.load.phase = name

    def settle(self, seconds=SETTLE):
        time.sleep(seconds)

    def phase_figures(self, name, **extra):
        answers = self.load.in_phase(name)
        by_kind = collections.defaultdict(collections.Counter)
        for answer in answers:
            by_kind[answer.kind][str(answer.status)] += 1
        restored = self.restored.get(name)
        failing = [a.at for a in answers if not isinstance(a.status, int) or a.status >= 500]
        recovery = max(0.0, max(failing) - restored) if (restored and failing) else 0.0
        figures = {
            "responses": {kind: dict(sorted(counts.items())) for kind, counts in sorted(by_kind.items())},
            "accepted": {
                kind: sum(
                    1 for a in answers if a.kind == kind and a.marker and not a.marker.startswith("refused:")
                )
                for kind in ("comment", "signup")
            },
            "server_errors_500": sum(1 for a in answers if a.status == 500),
            # From the first answer that was not a success to the last: how long readers saw the outage.
            "seconds_of_errors": round(max(failing) - min(failing), 2) if failing else 0.0,
            # From the service's return to the last answer that was not a success.
            "seconds_to_recover": round(recovery, 2),
            **extra,
        }
        self.figures[name] = figures
        return figures


FIGURES = {}


@pytest.fixture(scope="module", params=["rq", "database"])
def site(tmp_path_factory, request):
    """The whole stack, once per task backend: RQ on Redis, and the database queue."""
    if reason := stack.missing_programs():
        pytest.fail(f"fault suite asked for (NEWSROOM_FAULTS=1) but cannot run: {reason}")
    site = Site(request.param)
    FIGURES[request.param] = site.figures
    try:
        site.start(tmp_path_factory.mktemp(f"faults-{request.param}"))
        site.load.start()
        site.phase("baseline")
        site.settle()
        site.phase_figures("baseline")
        yield site
    finally:
        if getattr(site, "load", None):
            site.load.stop()
        site.stop()
        report(request, site.backend, site.figures)


def report(request, backend, figures):
    """Print the per-fault figures whatever pytest captures, and keep them where asked."""
    if not figures:
        return
    lines = [
        "",
        f"Fault suite figures, TASKS_BACKEND={backend} (responses by status; submissions accepted; "
        "seconds to recover):",
    ]
    for name, values in figures.items():
        lines.append(f"  {name}: " + json.dumps(values, sort_keys=False))
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print("\n".join(lines), flush=True)
    if path := os.environ.get("NEWSROOM_FAULTS_REPORT"):
        with open(path, "w") as out:
            json.dump(FIGURES, out, indent=2)


def assert_no_500(site, name):
    figures = site.phase_figures(name) if name not in site.figures else site.figures[name]
    assert figures["server_errors_500"] == 0, figures
    return figures


def test_redis_stopped_and_restarted(site):
    """With Redis down, pages, comments and signups keep working (local memory stands in), and no answer is a
    500."""
    site.phase("redis")
    site.settle(2)
    site.redis.stop()
    time.sleep(REDIS_DOWN)
    site.redis.start()
    site.restored["redis"] = time.monotonic()
    site.settle()
    figures = assert_no_500(site, "redis")
    # Readers' submissions are still taken while Redis is down: nothing depends on it to store them.
    answers = site.load.in_phase("redis")
    down = [a for a in answers if a.kind in ("comment", "signup")]
    assert down and all(a.status == 302 for a in down), figures


OUTAGE_COPY_SECONDS = 3  # NEWSROOM_PAGE_CACHE_OUTAGE_SECONDS in the suite's site
BURST_SECONDS, BURST_READERS = 3, 8


def burst(site, paths, seconds=BURST_SECONDS, readers=BURST_READERS):
    """Requests a second that `readers` readers asking at once, one after another, get answered (200s)."""
    stop_at = time.monotonic() + seconds
    statuses = [[] for _ in range(readers)]  # one list per reader: no two threads append to one

    def read(n):
        while time.monotonic() < stop_at:
            status, _, _ = site.load.request("GET", paths[n % len(paths)])
            statuses[n % readers].append(status)
            n += readers

    threads = [threading.Thread(target=read, args=(n,)) for n in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    answers = [status for mine in statuses for status in mine]
    ok = sum(1 for status in answers if status == 200)
    return ok / seconds, len(answers) - ok


def test_redis_outage_serves_readers_near_the_cached_rate(site):
    """While Redis is down each server keeps its own copies of public pages a few seconds: readers are served
    at half the cached rate or better, and a change shows within the copies' seconds."""
    site.phase("redis-outage-serving")
    paths = ["/", site.load.article_path, "/newsletter/archive/"]
    burst(site, paths, seconds=1)  # every page stored
    before, _ = burst(site, paths)
    site.redis.stop()
    try:
        burst(site, paths, seconds=1)  # both workers notice, and keep their copies
        during, failed = burst(site, paths)
        # A change no invalidation can carry from server to server: the title, straight in the database.
        title = f"Changed during the outage {secrets.token_hex(3)}"
        site.sql("UPDATE articles_article SET title = %s WHERE id = %s", (title, site.load.article_id))
        changed_at, last_stale, fresh_since = time.monotonic(), 0.0, None
        while time.monotonic() - changed_at < 4 * OUTAGE_COPY_SECONDS:
            status, _, body = site.load.request("GET", site.load.article_path)
            now = time.monotonic()
            if status == 200 and title.encode() in body:
                fresh_since = fresh_since or now
                if now - fresh_since > 1.0:
                    break
            else:
                last_stale, fresh_since = now - changed_at, None
            time.sleep(0.02)
    finally:
        site.redis.start()
    site.restored["redis-outage-serving"] = time.monotonic()
    site.settle(2)
    figures = site.phase_figures(
        "redis-outage-serving",
        cached_rps_before=round(before, 1),
        rps_during_outage=round(during, 1),
        outage_throughput_ratio=round(during / before, 2),
        staleness_seen_seconds=round(last_stale, 2),
        outage_copy_seconds=OUTAGE_COPY_SECONDS,
    )
    assert figures["server_errors_500"] == 0 and failed == 0, figures
    assert fresh_since is not None, figures
    assert figures["outage_throughput_ratio"] >= 0.5, figures
    # A page rendered just before the change lives its seconds; its render and the poll add a little.
    assert last_stale <= OUTAGE_COPY_SECONDS + 0.5, figures


def test_postgres_restarted(site):
    """A PostgreSQL restart costs at most a moment of 503s (never 500s), and persistent connections heal."""
    site.phase("postgres-restart")
    site.settle(2)
    site.pg.restart()
    site.restored["postgres-restart"] = time.monotonic()
    site.settle()
    figures = assert_no_500(site, "postgres-restart")
    assert figures["seconds_to_recover"] < 5, figures


def test_postgres_stopped(site):
    """With PostgreSQL down, readers get 503 with Retry-After (cached pages still 200), never a 500; the log
    gets a line a second, not a traceback a request; all is well within seconds of its return."""
    site.phase("postgres-down")
    site.settle(2)
    site.pg.stop()
    time.sleep(POSTGRES_DOWN)
    site.pg.start()
    site.restored["postgres-down"] = time.monotonic()
    site.settle()
    figures = assert_no_500(site, "postgres-down")
    statuses = figures["responses"].get("signup", {})
    assert "503" in statuses or "503" in figures["responses"].get("comment", {}), figures
    assert figures["seconds_to_recover"] < 5, figures
    log = site.web.output()
    assert log.count("Traceback") < 5, log[-4000:]
    assert log.count("Database unavailable") <= 2 * (POSTGRES_DOWN + SETTLE) * 2, log[-4000:]


def delivered(site):
    return len(site.sink.count_by_recipient("Daily"))


def daily_recipients(site):
    return sum(1 for rcpt, _, _ in site.sink.received() if rcpt.startswith("reader"))


def test_smtp_stopped_mid_send(site):
    """The SMTP server stopped in the middle of the daily update: the rest waits, the editors' page says the
    mail
    server is unreachable, and sending resumes within seconds of its return, not after a fixed wait."""
    site.phase("smtp")
    # The stories' own day: in the hour after midnight, the new day's update would hold none of them.
    stack.manage(site.env, "send_daily_update", "--date", site.story_day)
    assert stack.wait_for(lambda: daily_recipients(site) >= 40, 60), "the daily update did not start"
    site.smtp.stop()
    stopped_at = daily_recipients(site)
    time.sleep(SMTP_DOWN / 2)
    state = site.sql("SELECT mail_unreachable_since IS NOT NULL FROM newsletter_dailyupdate")
    time.sleep(SMTP_DOWN / 2)
    site.smtp.start()
    back = time.monotonic()
    site.restored["smtp"] = back
    assert stack.wait_for(lambda: daily_recipients(site) > stopped_at, 30), "sending did not resume"
    resumed = time.monotonic() - back
    site.settle(1)
    figures = site.phase_figures(
        "smtp",
        sent_before_stop=stopped_at,
        seconds_to_first_mail_after_return=round(resumed, 2),
        editors_told_unreachable=bool(state and state[0][0]),
    )
    assert figures["server_errors_500"] == 0, figures
    assert figures["editors_told_unreachable"], figures
    assert resumed < 10, figures


def test_worker_killed_mid_send(site):
    """The worker SIGKILLed mid-send and started again by its supervisor: its claimed deliveries are released
    within the lease (no 30-minute wait) and the send completes."""
    site.phase("worker-kill")
    before = daily_recipients(site)
    if before >= SUBSCRIBERS - 50:
        pytest.fail(f"the daily update had nearly finished ({before} sent) before the worker could be killed")
    assert stack.wait_for(lambda: daily_recipients(site) >= before + 20, 30), "sending stalled"
    site.worker.kill()
    killed_at, sent_at_kill = time.monotonic(), daily_recipients(site)
    site.settle(1)
    site.worker.start()  # as systemd's Restart=always would
    site.restored["worker-kill"] = time.monotonic()
    finished = stack.wait_for(
        lambda: (
            not site.sql("SELECT 1 FROM newsletter_delivery WHERE status IN ('pending', 'sending') LIMIT 1")
        ),
        60,
        interval=0.5,
    )
    took = time.monotonic() - killed_at
    unknown = site.sql("SELECT count(*) FROM newsletter_delivery WHERE status = 'unknown'")[0][0]
    figures = site.phase_figures(
        "worker-kill",
        sent_before_kill=sent_at_kill,
        seconds_from_kill_to_send_finished=round(took, 2),
        flagged_unknown=unknown,
    )
    assert finished, figures
    assert figures["server_errors_500"] == 0, figures


# A second audience, mailed an update of its own after the main send: long enough (LISTENERS messages
# at SMTP_DELAY each, in batches of 50) for readers' signups to arrive in the middle of it.
LISTENERS = 300
SEND = """
from datetime import timedelta
from django.db import transaction
from django.utils import timezone
from articles.models import Article
from newsletter import sending
from newsletter.models import Subscriber
from tests.support import factories_newsletter as nf
audience = Subscriber.objects.bulk_create(
    Subscriber(email=f"{prefix}{{n:04d}}@faults.example", status="active", confirmed_at=timezone.now())
    for n in range({count})
)
update = nf.daily_update(
    day=timezone.localdate() - timedelta(days={days_ago}),
    articles=list(Article.objects.published()[:3]),
    audience=audience,
    status="sending",
    enqueued_at=timezone.now(),
)
with transaction.atomic():
    sending.deliveries_enqueue(list(update.deliveries.values_list("pk", flat=True)))
"""


def start_send(site, prefix, count, days_ago):
    """Queue an update for `count` new subscribers named `prefix`NNNN, in batches as the daily send does."""
    stack.manage(site.env, "shell", "-c", SEND.format(prefix=prefix, count=count, days_ago=days_ago))


def received(site, prefix):
    return sum(1 for rcpt, _, _ in site.sink.received() if rcpt.startswith(prefix))


def test_confirmations_go_before_a_send(site):
    """People before lists: readers who sign up while an update's batches are queued get their confirmation
    within seconds (the worker takes it between two batches), not after the whole send."""
    site.phase("people-first")
    start_send(site, "listener", LISTENERS, days_ago=30)
    assert stack.wait_for(lambda: received(site, "listener") >= 1, 30), "the second send did not start"
    for n in range(5):  # beside the load's own signups, a few more while the send runs
        site.load.signup(90000 + n)
        time.sleep(0.4)
    assert stack.wait_for(lambda: received(site, "listener") >= LISTENERS, 60), (
        "the second send did not finish"
    )
    listened = [at for rcpt, at in site.sink.arrivals().items() if rcpt.startswith("listener")]
    send_over = max(listened)
    during = [
        a
        for a in site.load.in_phase("people-first")
        if a.kind == "signup"
        and a.marker
        and not a.marker.startswith("refused:")
        and min(listened) <= a.at < send_over
    ]
    assert stack.wait_for(lambda: all(a.marker in site.sink.arrivals() for a in during), 30), (
        "confirmations missing"
    )
    arrived = site.sink.arrivals()
    delays = sorted(arrived[a.marker] - a.at for a in during)
    figures = site.phase_figures(
        "people-first",
        send_messages=LISTENERS,
        send_seconds=round(send_over - min(listened), 2),
        signups_during_send=len(during),
        confirmation_seconds_median=round(delays[len(delays) // 2], 2) if delays else None,
        confirmation_seconds_max=round(delays[-1], 2) if delays else None,
    )
    assert figures["server_errors_500"] == 0, figures
    assert len(during) >= 3, figures
    assert figures["confirmation_seconds_max"] <= 5, figures


def test_smtp_line_dropped_mid_conversation(site):
    """The SMTP server hangs up in the middle of a delivery's DATA and of a confirmation's: each message is
    sent again within seconds, arrives once, and the drop spent none of its attempts."""
    site.phase("smtp-drop")
    site.smtp.drop_next(1, lambda rcpts: any(r.startswith("dropline") for r in rcpts))
    site.smtp.drop_next(1, lambda rcpts: any(r.startswith("signup") for r in rcpts))
    site.load.signup(91000)
    start_send(site, "dropline", 10, days_ago=31)
    assert stack.wait_for(lambda: len(site.smtp.dropped()) == 2, 30), site.smtp.dropped()
    [(delivery_rcpt, delivery_cut)], [(mail_rcpt, mail_cut)] = (
        [(rcpts[0], at) for rcpts, at in site.smtp.dropped() if rcpts[0].startswith(prefix)]
        for prefix in ("dropline", "signup")
    )
    delivery_sql = (
        "SELECT d.status, d.attempts FROM newsletter_delivery d JOIN newsletter_subscriber s "
        "ON s.id = d.subscriber_id WHERE lower(s.email) = %s"
    )
    mail_sql = (
        "SELECT m.status, m.attempts FROM newsletter_subscribermail m JOIN newsletter_subscriber s "
        "ON s.id = m.subscriber_id WHERE lower(s.email) = %s AND m.kind = 'confirm'"
    )

    def both_sent():
        return (
            site.sql(delivery_sql, [delivery_rcpt])[0][0] == "sent"
            and site.sql(mail_sql, [mail_rcpt])[0][0] == "sent"
            and received(site, "dropline") >= 10
        )

    assert stack.wait_for(both_sent, 30, interval=0.5), "a dropped message was not sent again"
    counts, arrived = site.sink.count_by_recipient(), site.sink.arrivals()
    [(delivery_status, delivery_attempts)] = site.sql(delivery_sql, [delivery_rcpt])
    [(mail_status, mail_attempts)] = site.sql(mail_sql, [mail_rcpt])
    figures = site.phase_figures(
        "smtp-drop",
        delivery={
            "status": delivery_status,
            "attempts": delivery_attempts,
            "received": counts[delivery_rcpt],
            "seconds_from_drop_to_arrival": round(arrived[delivery_rcpt] - delivery_cut, 2),
        },
        confirmation={
            "status": mail_status,
            "attempts": mail_attempts,
            "received": counts[mail_rcpt],
            "seconds_from_drop_to_arrival": round(arrived[mail_rcpt] - mail_cut, 2),
        },
    )
    assert figures["server_errors_500"] == 0, figures
    # One attempt each: the one that went. The dropped conversation spent none.
    assert (delivery_status, delivery_attempts, counts[delivery_rcpt]) == ("sent", 1, 1), figures
    assert (mail_status, mail_attempts, counts[mail_rcpt]) == ("sent", 1, 1), figures


def test_nothing_promised_was_lost(site):
    """After the faults: every accepted comment and signup stored exactly once, every confirmation mail
    sent, every subscriber mailed once (a row interrupted mid-send is flagged for an editor, never sent
    twice), no 500 at all, and no reader's address in the logs."""
    site.phase("drain")
    site.settle(2)
    site.load.stop()
    answers = site.load.all()

    def drained():
        waiting = site.sql("""SELECT (SELECT count(*) FROM newsletter_signuprequest)
            + (SELECT count(*) FROM newsletter_subscribermail WHERE status <> 'sent')
            + (SELECT count(*) FROM newsletter_delivery WHERE status IN ('pending', 'sending'))""")[0][0]
        return waiting == 0

    started = time.monotonic()
    assert stack.wait_for(drained, DRAIN_TIMEOUT, interval=0.5), site.worker.output()[-6000:]
    drain_seconds = time.monotonic() - started

    # Comments: each accepted one stored once; none the reader was told failed.
    comments = collections.Counter()
    for (body,) in site.sql("SELECT body FROM comments_comment WHERE body LIKE '%%fault-comment-%%'"):
        comments.update(re.findall(r"fault-comment-\d{5}", body))
    accepted_comments = [
        a.marker for a in answers if a.kind == "comment" and not a.marker.startswith("refused:")
    ]
    refused_comments = [
        a.marker.split(":", 1)[1] for a in answers if a.kind == "comment" and a.marker.startswith("refused:")
    ]
    comments_lost = [m for m in accepted_comments if comments[m] == 0]
    comments_doubled = [m for m in comments if comments[m] > 1]
    comments_stored_after_error = [m for m in refused_comments if comments[m]]

    # Signups: each accepted one a subscriber, once, and mailed its confirmation.
    subscribers = collections.Counter(
        email
        for (email,) in site.sql("SELECT lower(email) FROM newsletter_subscriber WHERE email LIKE 'signup%%'")
    )
    accepted_signups = [
        a.marker for a in answers if a.kind == "signup" and not a.marker.startswith("refused:")
    ]
    refused_signups = [
        a.marker.split(":", 1)[1] for a in answers if a.kind == "signup" and a.marker.startswith("refused:")
    ]
    signups_lost = [m for m in accepted_signups if subscribers[m] == 0]
    signups_doubled = [m for m in subscribers if subscribers[m] > 1]
    mailed = site.sink.count_by_recipient()
    confirmations_missing = [m for m in accepted_signups if mailed[m] == 0]
    confirmations_doubled = [m for m in accepted_signups if mailed[m] > 1]

    # The daily update: once each; rows interrupted mid-send are flagged, and may or may not have gone.
    readers = [f"reader{n:04d}@faults.example" for n in range(SUBSCRIBERS)]
    flagged = {
        email
        for (email,) in site.sql(
            "SELECT lower(s.email) FROM newsletter_delivery d "
            "JOIN newsletter_subscriber s ON s.id = d.subscriber_id "
            "WHERE d.status = 'unknown'"
        )
    }
    readers_doubled = [r for r in readers if mailed[r] > 1]
    readers_missing = [r for r in readers if mailed[r] == 0]
    readers_missing_unflagged = [r for r in readers_missing if r not in flagged]

    logs = site.web.output() + site.worker.output()
    addresses_logged = sorted(set(re.findall(r"[\w.+-]+@faults\.example", logs)))
    server_errors = [a for a in answers if a.status == 500]
    health = json.loads(site.load.request("GET", "/newsletter/health/")[2] or b"{}")

    site.figures["totals"] = {
        "comments": {
            "accepted": len(accepted_comments),
            "refused_with_503_or_no_answer": len(refused_comments),
            "lost": len(comments_lost),
            "duplicates": len(comments_doubled),
            "stored_though_refused": len(comments_stored_after_error),
        },
        "signups": {
            "accepted": len(accepted_signups),
            "refused_with_503_or_no_answer": len(refused_signups),
            "lost": len(signups_lost),
            "duplicates": len(signups_doubled),
            "confirmations_missing": len(confirmations_missing),
            "confirmations_sent_twice": len(confirmations_doubled),
        },
        "daily_update": {
            "subscribers": SUBSCRIBERS,
            "mailed_once": sum(1 for r in readers if mailed[r] == 1),
            "mailed_twice": len(readers_doubled),
            "flagged_unknown": len(flagged),
            "flagged_and_not_received": len(readers_missing),
            "missing_unflagged": len(readers_missing_unflagged),
        },
        "responses_500": len(server_errors),
        "seconds_to_drain": round(drain_seconds, 1),
        "addresses_in_logs": len(addresses_logged),
        "health": health,
    }
    assert not server_errors, server_errors[:5]
    assert not comments_lost and not comments_doubled and not comments_stored_after_error, site.figures[
        "totals"
    ]
    assert not signups_lost and not signups_doubled and not confirmations_missing, site.figures["totals"]
    assert not readers_doubled and not readers_missing_unflagged, site.figures["totals"]
    assert not addresses_logged, addresses_logged[:5]
    assert accepted_comments and accepted_signups
