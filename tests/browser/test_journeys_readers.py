"""Whole journeys of the public site in Chromium, on pages served from the anonymous page cache: a
reader reads, searches and joins the discussion; a subscriber signs up, confirms from the mail,
chooses topics and leaves with one click."""

import re
import urllib.request
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Comment
from newsletter.models import Subscriber
from tests.browser.journeys import new_page, screenshot
from tests.support import factories as f
from tests.support import factories_comments as cf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def public_site(settings, live_server):
    """The site as readers get it: pages and their pieces from the page cache, mail links to this server."""
    settings.NEWSROOM_PAGE_CACHE = settings.NEWSROOM_FRAGMENT_CACHE = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    settings.SITE_URL = live_server.url
    yield
    # ORM calls made while Playwright's loop ran used their own connection; close it so the
    # test database can be dropped at the end of the run.
    connections.close_all()


def search_box(page):
    """The site's search field, wherever the header puts it."""
    return page.locator("input[name=q] >> visible=true").first


def test_reader_reads_follows_a_tag_searches_comments_replies_and_likes(browser, live_server):
    """Front page, article (then from the cache), its mineral's page, search, a comment, a reply and a
    like: each shows at once, and a new reader's copy of the cached page has them too."""
    cobalt = f.mineral(name="Cobalt")
    congo = f.country(name="Democratic Republic of the Congo")
    supply = f.section(name="Supply", slug="supply")
    article = f.article(
        title="Cobalt hydroxide payables climb",
        dek="Buyers pay more as Congolese output slows.",
        body="<p>Payables for cobalt hydroxide rose to 78 per cent this week.</p>",
        minerals=[cobalt],
        countries=[congo],
        is_featured=True,
        section=supply,
    )
    other = f.article(
        title="Kokkola refinery restarts its cobalt line",
        minerals=[cobalt],
        section=supply,
        body="<p>The Finnish refinery takes hydroxide from new suppliers.</p>",
    )
    ana = cf.comment(article=article, author_name="Ana", body_text="Payables this high squeeze the refiners.")
    # The reader has an approved comment elsewhere, so their comments go live without waiting.
    cf.comment(article=other, author_name="Bo", author_email="bo@example.com")

    page = new_page(browser)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=article.title).first.click()
    page.wait_for_url(live_server.url + article.get_absolute_url())
    assert page.get_by_role("heading", level=1).inner_text() == article.title
    assert page.reload().headers["x-page-cache"] == "hit"

    page.get_by_role("link", name="Cobalt", exact=True).first.click()
    page.wait_for_url(live_server.url + cobalt.get_absolute_url())
    assert page.get_by_role("link", name=other.title).first.is_visible()

    search_box(page).fill("payables")
    search_box(page).press("Enter")
    page.wait_for_url("**/search/?q=payables")
    assert page.get_by_role("heading", name=re.compile("1 result")).is_visible()
    page.get_by_role("link", name=article.title).first.click()
    page.wait_for_url(live_server.url + article.get_absolute_url())

    form = page.locator("form#comment-form")
    form.locator("[name=author_name]").fill("Bo")
    form.locator("[name=author_email]").fill("bo@example.com")
    form.locator("[name=body_text]").fill("Hydroxide stocks in China are thin, so this may last.")
    form.get_by_role("button", name="Post comment").click()
    comment = Comment.objects.get(article=article, author_name="Bo")
    page.wait_for_url(f"**#comment-{comment.pk}")
    assert comment.status == Comment.Status.APPROVED
    assert page.get_by_text("Your comment is live").is_visible()
    assert page.locator(f"#comment-{comment.pk}").get_by_text("Hydroxide stocks in China").is_visible()

    page.locator(f"#comment-{ana.pk}").get_by_role("link", name="Reply").first.click()
    form.locator("[name=author_name]").fill("Bo")
    form.locator("[name=author_email]").fill("bo@example.com")
    form.locator("[name=body_text]").fill("Ana, the refiners pass most of it on to cathode makers.")
    form.get_by_role("button", name="Post comment").click()
    reply = Comment.objects.get(parent=ana)
    page.wait_for_url(f"**#comment-{reply.pk}")
    assert page.locator(f"#comment-{ana.pk} #comment-{reply.pk}").get_by_text("cathode makers").is_visible()

    page.locator(f"#comment-{ana.pk}").get_by_role("button", name=re.compile("^Like")).first.click()
    expect(page.locator(f"#comment-{ana.pk} .like-count").first).to_have_text("1 like", timeout=15_000)
    ana.refresh_from_db()
    assert ana.like_count == 1

    # Another reader, no cookies: the stored copy of the page was dropped when the comments went live.
    newcomer = new_page(browser)
    newcomer.goto(live_server.url + article.get_absolute_url())
    assert newcomer.get_by_role("heading", name="3 comments").is_visible()
    assert newcomer.get_by_text("the refiners pass most of it on").is_visible()
    newcomer.locator(f"#comment-{reply.pk}").scroll_into_view_if_needed()
    screenshot(newcomer, "reader")
    assert page.problems == [] and newcomer.problems == []
    page.context.close()
    newcomer.context.close()


def link_in(message, path):
    """The absolute link to `path` (…/newsletter/confirm/, …) in a mail's text."""
    return re.search(rf"https?://\S+{re.escape(path)}\S+/", message.body).group(0)


def one_click_unsubscribe(message):
    """What a mail provider does with RFC 8058 headers: a bare POST, no cookie, no CSRF token."""
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.search(r"<(https?://[^>]+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    request = urllib.request.Request(
        url,
        data=b"List-Unsubscribe=One-Click",
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def mails_to(outbox, address, subject):
    return [message for message in outbox if message.to == [address] and subject in message.subject]


def test_subscriber_signs_up_confirms_chooses_topics_and_leaves(browser, live_server, mailoutbox):
    """Signup from an article's box, the confirmation link from the mail (confirmed by its button), topics
    from the welcome mail, the daily update's one-click List-Unsubscribe, then a return and a goodbye
    through the unsubscribe page's button."""
    gallium, china = f.mineral(name="Gallium"), f.country(name="China")
    article = f.article(
        title="Gallium export licences granted",
        minerals=[gallium],
        countries=[china],
        section=f.section(name="Trade", slug="trade"),
        publish_at=timezone.now() - timedelta(seconds=30),
    )
    address = "analyst@example.org"

    page = new_page(browser)
    page.goto(live_server.url + article.get_absolute_url())
    box = page.locator("form[action='/newsletter/']").last
    box.locator("[name=email]").fill(address)
    box.get_by_role("button").click()
    page.wait_for_url("**/newsletter/thanks/")

    [confirmation] = mails_to(mailoutbox, address, "Confirm your subscription")
    page.goto(link_in(confirmation, "/newsletter/confirm/"))
    assert (
        Subscriber.objects.get(email=address).status == Subscriber.Status.PENDING
    )  # opening the link is not enough
    page.get_by_role("button", name=re.compile("send me the daily update")).click()
    page.wait_for_url("**/newsletter/welcome/")
    assert Subscriber.objects.get(email=address).status == Subscriber.Status.ACTIVE

    [welcome] = mails_to(mailoutbox, address, "Welcome")
    page.goto(link_in(welcome, "/newsletter/topics/"))
    page.get_by_label("Gallium").check()
    page.get_by_label("China").check()
    page.get_by_role("button", name="Save my topics").click()
    assert page.get_by_role("status").filter(has_text="Saved").is_visible()
    subscriber = Subscriber.objects.get(email=address)
    assert list(subscriber.minerals.all()) == [gallium] and list(subscriber.countries.all()) == [china]

    call_command("send_daily_update", stdout=StringIO())
    [digest] = mails_to(mailoutbox, address, "")[-1:]
    assert article.title in digest.body
    assert one_click_unsubscribe(digest) == 200
    assert Subscriber.objects.get(email=address).status == Subscriber.Status.UNSUBSCRIBED

    # Back the same day from the signup page, and gone again through the page the mail's link opens.
    page.goto(live_server.url + "/newsletter/")
    signup = page.locator("form[action='/newsletter/']:has([type=checkbox])")  # the page's form, with topics
    signup.locator("[name=email]").fill(address)
    signup.get_by_role("button").click()
    page.wait_for_url("**/newsletter/thanks/")
    confirmation = mails_to(mailoutbox, address, "Confirm your subscription")[-1]
    page.goto(link_in(confirmation, "/newsletter/confirm/"))
    page.get_by_role("button", name=re.compile("send me the daily update")).click()
    page.wait_for_url("**/newsletter/welcome/")
    welcome = mails_to(mailoutbox, address, "Welcome")[-1]
    page.goto(link_in(welcome, "/newsletter/unsubscribe/"))
    page.get_by_role("button", name="Unsubscribe").click()
    page.wait_for_url("**/newsletter/unsubscribed/")
    assert Subscriber.objects.get(email=address).status == Subscriber.Status.UNSUBSCRIBED
    screenshot(page, "subscriber")
    assert page.problems == []
    page.context.close()
