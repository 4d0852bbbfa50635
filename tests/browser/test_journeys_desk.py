"""Whole journeys of the desk in Chromium, with the second factor required as in production: an editor
signs in with an authenticator code, writes, previews and schedules an article that goes live on
time; a writer is refused publishing and their edit to a live article waits; a moderator approves a
held comment and readers see it."""

import re
import time
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from articles.models import Article, Source
from comments.models import Comment
from tests.browser.journeys import (
    LOGIN,
    PASSWORD,
    authenticator,
    current_code,
    desk_group,
    new_page,
    screenshot,
    sign_in,
    watch,
)
from tests.support import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# How far ahead the editor schedules: time enough to save, preview and look as a reader first.
SCHEDULE_AHEAD = timedelta(seconds=15)


@pytest.fixture(autouse=True)
def production_desk(settings, live_server):
    """Second factor required for Editors, readers served from the page cache, cookies over plain HTTP."""
    settings.STAFF_TWO_FACTOR = "required"
    settings.NEWSROOM_PAGE_CACHE = settings.NEWSROOM_FRAGMENT_CACHE = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    yield
    connections.close_all()


def staff(username, group):
    user = f.user(username=username)
    user.groups.add(desk_group(group))
    return user


def choose(page, field_name, text):
    """Pick `text` in the admin's autocomplete (select2) widget for the field named `field_name`."""
    page.locator(f"select[name='{field_name}'] + .select2").click()
    page.locator(".select2-container--open .select2-search--dropdown .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def choose_many(page, field_name, *texts):
    """Pick each of `texts` in the admin's multiple-choice autocomplete for the field named `field_name`."""
    for text in texts:
        page.locator(f"select[name='{field_name}'] + .select2 .select2-search__field").fill(text)
        page.locator(".select2-results__option", has_text=text).first.click()


def test_editor_signs_in_with_a_code_writes_previews_schedules_and_it_goes_live(browser, live_server):
    """Password then authenticator code; an article with mineral and country tags and a citation, written
    in the rich-text editor, previewed, scheduled a few seconds ahead: readers (served from the page
    cache) see nothing until the time, then the article with its tags and source."""
    editor = staff("desk-editor", "Editors")
    device = authenticator(editor)
    supply = f.section(name="Supply", slug="supply")
    f.source(name="Harbour News Agency", kind=Source.Kind.STATE_MEDIA)
    f.mineral(name="Lithium")
    f.mineral(name="Rubidium")
    f.country(name="Chile")
    f.article(title="Lithium brine output rises", section=supply)

    reader = new_page(browser)
    reader.goto(live_server.url + "/")
    assert reader.reload().headers["x-page-cache"] == "hit"

    page = new_page(browser)
    page.goto(live_server.url + "/admin/")
    page.wait_for_url(f"**{LOGIN}**")
    page.fill("[name=auth-username]", editor.username)
    page.fill("[name=auth-password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    code = page.locator("[name=token-otp_token]")
    code.wait_for()
    # The password alone opens nothing: the admin still sends this browser to sign in.
    assert page.request.get(live_server.url + "/admin/", max_redirects=0).status == 302
    code.fill(current_code(device))
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(live_server.url + "/admin/")

    page.goto(live_server.url + "/admin/articles/article/add/")
    page.locator("[name=title]").press_sequentially("Chile caps lithium brine quotas")
    page.fill("[name=dek]", "The new rule limits what two producers may pump from the Atacama.")
    page.fill("[name=highlights]", "Quotas fall 8 per cent\nRubidium recovery exempt")
    page.locator(".ProseMirror >> visible=true").first.click()
    page.keyboard.type("Chile's regulator set ")
    page.keyboard.press("Control+b")
    page.keyboard.type("lower quotas")
    page.keyboard.press("Control+b")
    page.keyboard.type(" for brine from the salt flat.")
    choose(page, "section", "Supply")
    choose_many(page, "minerals", "Lithium", "Rubidium")
    choose_many(page, "countries", "Chile")
    choose(page, "citations-0-source", "Harbour News Agency")
    page.fill("[name=citations-0-url]", "https://harbour.example/atacama-quotas")
    page.fill("[name=citations-0-title]", "Regulator trims Atacama brine quotas")
    page.select_option("[name=status]", "published")
    publish_at = timezone.localtime(timezone.now() + SCHEDULE_AHEAD).replace(microsecond=0)
    page.fill("[name=publish_at_0]", publish_at.strftime("%Y-%m-%d"))
    page.fill("[name=publish_at_1]", publish_at.strftime("%H:%M:%S"))
    page.locator("[name=_continue]").first.click()
    page.wait_for_url("**/admin/articles/article/*/change/")

    article = Article.objects.get(slug="chile-caps-lithium-brine-quotas")
    assert article.is_scheduled and article.publish_at == publish_at
    assert "<strong>lower quotas</strong>" in article.body
    assert sorted(article.minerals.names()) == ["Lithium", "Rubidium"] and list(
        article.countries.names()
    ) == ["Chile"]
    assert article.citations.get().source.name == "Harbour News Agency"

    with page.expect_popup() as popup:
        page.get_by_role("link", name="Preview as readers will see it").click()
    preview = watch(popup.value)
    preview.wait_for_load_state()
    assert preview.get_by_role("heading", level=1).inner_text() == article.title
    assert "scheduled for" in preview.get_by_role("note").first.inner_text()

    public = live_server.url + article.get_absolute_url()
    assert reader.request.get(public).status == 404  # a request, not a page: no console noise
    reader.goto(live_server.url + "/")
    assert reader.get_by_role("link", name=article.title).count() == 0
    assert reader.reload().headers["x-page-cache"] == "hit"  # stored, but only until the publish time

    time.sleep(max(0.0, (publish_at - timezone.now()).total_seconds()) + 0.5)
    reader.goto(live_server.url + "/")
    reader.get_by_role("link", name=article.title).first.click()
    reader.wait_for_url(public)
    assert reader.get_by_role("heading", level=1).inner_text() == article.title
    for tag in ("Lithium", "Rubidium", "Chile"):
        assert reader.get_by_role("link", name=tag, exact=True).first.is_visible()
    assert reader.get_by_text("Harbour News Agency").first.is_visible()
    screenshot(reader, "editor")
    assert page.problems == [] and preview.problems == [] and reader.problems == []
    page.context.close()
    reader.context.close()


def test_writer_is_refused_publishing_and_their_edit_to_a_live_article_waits(browser, live_server):
    """A Writer signs in with a password alone, finds no way to publish or feature, is refused when the
    page is forced, saves a draft, and their change to a live article waits for an editor."""
    writer = staff("desk-writer", "Writers")
    supply = f.section(name="Supply", slug="supply")
    live = f.article(title="Tin smelter resumes exports", section=supply)

    page = sign_in(new_page(browser), live_server, writer)
    page.goto(live_server.url + "/admin/articles/article/add/")
    statuses = page.locator("[name=status] option").evaluate_all("options => options.map(o => o.value)")
    assert "published" not in statuses and "draft" in statuses
    assert page.locator("[name=is_featured]").is_disabled()

    page.locator("[name=title]").press_sequentially("Indonesia weighs a nickel ore quota")
    page.locator(".ProseMirror >> visible=true").first.click()
    page.keyboard.type("Officials discussed a quota for ore exports.")
    choose(page, "section", "Supply")
    # A writer who edits the page to add the missing choice is refused by the server.
    page.evaluate("""() => {
        const status = document.querySelector('[name=status]');
        status.add(new Option('Published', 'published'));
        status.value = 'published';
    }""")
    page.locator("[name=_save]").first.click()
    page.locator(".errornote").wait_for()
    errors = page.locator(".errorlist").all_inner_texts()
    assert len(errors) == 1 and "published is not one of the available choices" in errors[0], errors
    assert not Article.objects.filter(title="Indonesia weighs a nickel ore quota").exists()
    page.select_option("[name=status]", "draft")
    page.locator("[name=_save]").first.click()
    page.wait_for_url("**/admin/articles/article/")
    draft = Article.objects.get(title="Indonesia weighs a nickel ore quota")
    assert draft.status == Article.Status.DRAFT
    actions = page.locator("[name=action] option").evaluate_all("options => options.map(o => o.value)")
    assert "publish_now" not in actions and "feature" not in actions
    # Nor does the bulk action, forced into the list, publish anything.
    page.get_by_role("row").filter(has_text=draft.title).locator("[name=_selected_action]").check()
    page.evaluate(
        "() => document.querySelector('[name=action]').add(new Option('Publish', 'publish_now', true, true))"
    )
    page.locator("[name=index]").first.click()
    page.locator(".messagelist").wait_for()
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT

    page.goto(f"{live_server.url}/admin/articles/article/{live.pk}/change/")
    page.fill("[name=title]", "Tin smelter resumes exports to Europe")
    page.locator("[name=_save]").first.click()
    page.wait_for_url(f"**/admin/articles/article/{live.pk}/change/")
    assert "sent to an editor for review" in page.locator(".messagelist").inner_text()
    assert Article.objects.get(pk=live.pk).title == "Tin smelter resumes exports"
    assert live.revisions.pending().count() == 1

    reader = new_page(browser)
    reader.goto(live_server.url + live.get_absolute_url())
    assert reader.get_by_role("heading", level=1).inner_text() == "Tin smelter resumes exports"
    screenshot(page, "writer")
    assert page.problems == [] and reader.problems == []
    page.context.close()
    reader.context.close()


def test_moderator_approves_a_held_comment_and_readers_see_it(browser, live_server):
    """A reader's first comment is held; an Editor signs in with a code, approves it from the queue, and
    the article's page, shared from the page cache, shows it."""
    article = f.article(title="Graphite anode plant opens", section=f.section(name="Supply", slug="supply"))
    public = live_server.url + article.get_absolute_url()

    reader = new_page(browser)
    reader.goto(public)
    form = reader.locator("form#comment-form")
    form.locator("[name=author_name]").fill("Chen")
    form.locator("[name=author_email]").fill("chen@example.com")
    form.locator("[name=body_text]").fill("Synthetic graphite still needs cheap power to compete.")
    form.get_by_role("button", name="Post comment").click()
    reader.wait_for_url("**#comments")
    assert reader.get_by_text("awaiting moderation").is_visible()
    held = Comment.objects.get(author_email="chen@example.com")
    assert held.status == Comment.Status.PENDING
    reader.goto(public)
    assert reader.get_by_text("Synthetic graphite still needs").count() == 0
    assert reader.reload().headers["x-page-cache"] == "hit"

    moderator = staff("desk-moderator", "Editors")
    page = sign_in(new_page(browser), live_server, moderator, device=authenticator(moderator))
    page.goto(live_server.url + "/admin/comments/comment/?status__exact=pending")
    row = page.get_by_role("row").filter(has_text="Synthetic graphite still needs")
    row.locator("[name=_selected_action]").check()
    page.select_option("[name=action]", "approve")
    page.locator("[name=index]").first.click()
    assert "1 comment approved" in page.locator(".messagelist").inner_text()
    held.refresh_from_db()
    assert held.status == Comment.Status.APPROVED

    reader.goto(public)
    assert reader.get_by_role("heading", name=re.compile("^1 comment")).is_visible()
    assert reader.locator(f"#comment-{held.pk}").get_by_text("Synthetic graphite still needs").is_visible()
    reader.locator(f"#comment-{held.pk}").scroll_into_view_if_needed()
    screenshot(reader, "moderator")
    assert page.problems == [] and reader.problems == []
    page.context.close()
    reader.context.close()
