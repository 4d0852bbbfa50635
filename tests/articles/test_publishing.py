"""Writers may write but not publish; editors publish, schedule and unpublish; the rule holds on every
path."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article
from tests.support import factories as f
from tests.support.factories import article_form_data

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_groups_exist_with_the_right_publish_permission():
    """The data migration makes Editors (who can publish) and Writers (who cannot)."""
    editor = f.user(group="Editors")
    writer = f.user(group="Writers")
    assert editor.has_perm("articles.publish_article")
    assert writer.has_perm("articles.change_article") and not writer.has_perm("articles.publish_article")


def test_writer_cannot_publish_through_the_admin_form(client):
    """A writer who posts status=published gets a form error and the article stays a draft."""
    writer = f.user(group="Writers")
    draft = f.article(status=Article.Status.DRAFT)
    client.force_login(writer)
    response = client.post(change_url(draft), article_form_data(draft, status="published"))
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_writer_can_send_for_review_and_propose_an_edit_to_a_published_article(client):
    """Writers move drafts to review; their edit to a live article waits as a proposal, the article
    unchanged."""
    writer = f.user(group="Writers")
    client.force_login(writer)
    draft = f.article(status=Article.Status.DRAFT)
    response = client.post(change_url(draft), article_form_data(draft, status="in_review"))
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW

    live = f.article()
    response = client.post(change_url(live), article_form_data(live, title="Corrected headline"))
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.title != "Corrected headline" and live.is_live
    (proposal,) = live.revisions.pending()
    assert proposal.snapshot["title"] == "Corrected headline" and proposal.created_by == writer


def test_writer_cannot_unpublish_or_reschedule(client):
    """Taking an article down or moving its publish time is an editor's decision."""
    writer = f.user(group="Writers")
    client.force_login(writer)
    live = f.article()
    original = live.publish_at
    client.post(change_url(live), article_form_data(live, status="draft"))
    later = timezone.localtime(timezone.now() + timedelta(days=3))
    client.post(
        change_url(live),
        article_form_data(live, publish_at_0=later.strftime("%Y-%m-%d"), publish_at_1="09:00:00"),
    )
    live.refresh_from_db()
    assert live.status == Article.Status.PUBLISHED and live.publish_at == original


def test_writer_status_choices_hide_published(client):
    """The writer's form does not offer 'Published' for an unpublished article."""
    client.force_login(f.user(group="Writers"))
    draft = f.article(status=Article.Status.DRAFT)
    page = client.get(change_url(draft)).content.decode()
    assert 'value="in_review"' in page and 'value="published"' not in page


def test_editor_can_schedule(client):
    """An editor setting a future publish time schedules the article; it is not live yet."""
    client.force_login(f.user(group="Editors"))
    draft = f.article(status=Article.Status.DRAFT)
    when = timezone.localtime(timezone.now() + timedelta(days=1))
    response = client.post(
        change_url(draft),
        article_form_data(
            draft,
            status="published",
            publish_at_0=when.strftime("%Y-%m-%d"),
            publish_at_1=when.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_scheduled and not draft.is_live


def test_editor_publishing_an_old_draft_publishes_it_now(client):
    """Publishing a draft without touching its date stamps it with the moment it went live."""
    client.force_login(f.user(group="Editors"))
    draft = f.article(status=Article.Status.DRAFT, publish_at=timezone.now() - timedelta(days=5))
    client.post(change_url(draft), article_form_data(draft, status="published"))
    draft.refresh_from_db()
    assert draft.is_live and timezone.now() - draft.publish_at < timedelta(minutes=1)


def test_service_refuses_publishing_without_permission():
    """The rule is enforced by the service itself, whatever calls it."""
    writer = f.user(group="Writers")
    draft = f.article(status=Article.Status.DRAFT)
    candidate = Article(pk=draft.pk, status=Article.Status.PUBLISHED, publish_at=draft.publish_at)
    with pytest.raises(PermissionDenied):
        services.article_check_publishing(user=writer, article=candidate, previous=draft)
    with pytest.raises(PermissionDenied):
        services.articles_set_status(user=writer, articles=[draft], status=Article.Status.PUBLISHED)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_publish_action_for_editors_only(client):
    """The bulk publish action is offered to editors, not writers, and publishes now."""
    draft = f.article(status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_changelist")
    client.force_login(f.user(group="Writers"))
    assert 'value="publish_now"' not in client.get(url).content.decode()
    client.post(url, {"action": "publish_now", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT

    client.force_login(f.user(group="Editors"))
    assert 'value="publish_now"' in client.get(url).content.decode()
    client.post(url, {"action": "publish_now", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_live


def test_body_over_the_limit_is_refused_with_a_form_error(client, settings):
    """Raw input over the size limit re-renders the form with an error and saves nothing."""
    settings.ARTICLE_BODY_MAX_CHARS = 1000
    client.force_login(f.user(group="Editors"))
    article = f.article()
    response = client.post(change_url(article), article_form_data(article, body="<p>" + "x" * 1200 + "</p>"))
    assert response.status_code == 200
    assert "too long" in response.content.decode()
    article.refresh_from_db()
    assert "x" * 1200 not in article.body


def test_admin_pages_load_for_editors(client):
    """Every editorial admin list and add page loads, with the source citation count and disclaimer sample."""
    source = f.source(
        name="Ore Wire",
        owner="Ore Holdings",
        default_disclaimer=f.disclaimer(text="{source} owned by {owner}"),
    )
    f.article(sources=[source])
    client.force_login(f.user(group="Editors"))
    for model in ("article", "section", "author", "mineral", "country", "source", "disclaimer"):
        assert client.get(reverse(f"admin:articles_{model}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:articles_{model}_add")).status_code == 200
    sources = client.get(reverse("admin:articles_source_changelist")).content.decode()
    assert f'?source={source.pk}">1</a>' in sources
    sample = client.get(
        reverse("admin:articles_disclaimer_change", args=[source.default_disclaimer.pk])
    ).content.decode()
    assert "Ore Wire owned by Ore Holdings" in sample


def test_preview_link_shown_on_the_change_page(client):
    """Editors get a preview link for a draft."""
    client.force_login(f.user(group="Editors"))
    draft = f.article(status=Article.Status.DRAFT)
    assert draft.get_preview_url() in client.get(change_url(draft)).content.decode()


def test_publishing_an_old_draft_by_any_path_stamps_it_now():
    """The 'publish now' rule lives in the write path: a command or import publishing an old draft dates it
    now."""
    draft = f.article(status=Article.Status.DRAFT, publish_at=timezone.now() - timedelta(days=5))
    draft.status = Article.Status.PUBLISHED
    assert services.article_save(article=draft) == services.Publishing.PUBLISH
    draft.refresh_from_db()
    assert draft.is_live and timezone.now() - draft.publish_at < timedelta(minutes=1)


def test_a_moved_publish_time_is_kept_when_publishing():
    """Publishing with a publish time the caller chose (a backdated import) keeps that time."""
    draft = f.article(status=Article.Status.DRAFT, publish_at=timezone.now() - timedelta(days=5))
    chosen = timezone.now() - timedelta(days=2)
    draft.status, draft.publish_at = Article.Status.PUBLISHED, chosen
    services.article_save(article=draft)
    draft.refresh_from_db()
    assert draft.publish_at == chosen


def test_feature_actions_go_through_the_write_path(client):
    """Featuring from the admin list saves each article through article_save, so its hooks run."""
    article = f.article()
    client.force_login(f.user(group="Editors"))
    url = reverse("admin:articles_article_changelist")
    saved = []
    original = services.article_save

    def spy(**kwargs):
        saved.append(kwargs["article"].pk)
        return original(**kwargs)

    services.article_save = spy
    try:
        client.post(url, {"action": "feature", "_selected_action": [article.pk]})
    finally:
        services.article_save = original
    article.refresh_from_db()
    assert article.is_featured and saved == [article.pk]


def test_publish_now_means_now_for_a_draft_with_a_future_time(client):
    """The list's "Publish selected articles now" puts a draft carrying a future time live at once."""
    draft = f.article(status=Article.Status.DRAFT, publish_at=timezone.now() + timedelta(days=3))
    client.force_login(f.user(group="Editors"))
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.is_live and timezone.now() - draft.publish_at < timedelta(minutes=1)


def test_a_bulk_action_keeps_an_edit_saved_since_the_list_was_loaded():
    """A bulk change reads each article afresh, so it changes its own field and nothing else."""
    article = f.article(title="Old headline")
    stale = Article.objects.get(pk=article.pk)
    Article.objects.filter(pk=article.pk).update(title="Headline edited meanwhile")
    services.articles_set_featured(user=None, articles=[stale], featured=True)
    article.refresh_from_db()
    assert article.is_featured and article.title == "Headline edited meanwhile"
