import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from comments.models import Comment
from tests.support import factories
from tests.support import factories_comments as cf

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:comments_comment_changelist"


@pytest.fixture
def editor_client(client):
    client.force_login(factories.user(group="Editors"))
    return client


def test_editors_group_can_moderate_comments():
    """The Editors group holds the comment permissions; Writers do not."""
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert {"view_comment", "change_comment", "delete_comment"} <= editors
    writers = set(Group.objects.get(name="Writers").permissions.values_list("codename", flat=True))
    assert "change_comment" not in writers


def test_queue_lists_article_and_parent(editor_client):
    """The queue shows each comment with its article and the comment it answers."""
    parent = cf.comment(author_name="Parent Person", body_text="The parent's point.")
    cf.comment(article=parent.article, parent=parent, status=Comment.Status.PENDING, body_text="Held reply")
    response = editor_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Held reply" in html and parent.article.title in html
    assert "Parent Person: The parent&#x27;s point." in html


def test_queue_filters_by_status_and_article(editor_client):
    """Filters narrow the queue to a status and to one article."""
    article = factories.article()
    held = cf.comment(article=article, status=Comment.Status.PENDING)
    cf.comment(article=article)
    cf.comment(status=Comment.Status.PENDING)
    query = {"status__exact": "pending", "article__id__exact": article.pk}
    response = editor_client.get(reverse(CHANGELIST), query)
    assert list(response.context["cl"].result_list) == [held]


@pytest.mark.parametrize(
    "query,field",
    [
        ("needle@example.com", "author_email"),
        ("203.0.113.5", "ip_address"),
        ("Needle Name", "author_name"),
        ("molybdenum", "body_text"),
    ],
)
def test_queue_search_by_name_email_ip_and_text(editor_client, query, field):
    """Search finds comments by name, email, IP address and text."""
    target = cf.comment(
        author_name="Needle Name",
        author_email="needle@example.com",
        ip_address="203.0.113.5",
        body_text="A note on molybdenum.",
    )
    cf.comment(author_name="Other", body_text="Unrelated words.")
    response = editor_client.get(reverse(CHANGELIST), {"q": query})
    assert list(response.context["cl"].result_list) == [target]


@pytest.mark.parametrize(
    "action,status",
    [
        ("approve", Comment.Status.APPROVED),
        ("mark_spam", Comment.Status.SPAM),
        ("remove", Comment.Status.REMOVED),
    ],
)
def test_bulk_actions(editor_client, action, status):
    """Bulk actions set the chosen status on the selected comments only."""
    article = factories.article()
    chosen = [cf.comment(article=article, status=Comment.Status.PENDING) for _ in range(2)]
    other = cf.comment(article=article, status=Comment.Status.PENDING)
    response = editor_client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [c.pk for c in chosen]}, follow=True
    )
    assert response.status_code == 200
    assert "2 comments" in response.content.decode()
    assert set(Comment.objects.filter(status=status).values_list("pk", flat=True)) == {c.pk for c in chosen}
    other.refresh_from_db()
    assert other.status == Comment.Status.PENDING


def test_approving_makes_the_comment_public(editor_client):
    """An approved comment appears on the article page."""
    held = cf.comment(status=Comment.Status.PENDING, body_text="Worth publishing.")
    editor_client.post(reverse(CHANGELIST), {"action": "approve", "_selected_action": [held.pk]})
    editor_client.logout()
    assert "Worth publishing." in editor_client.get(held.article.get_absolute_url()).content.decode()


def test_editing_text_in_admin_resanitises_the_body(editor_client):
    """A moderator's edit to the text is cleaned again on save."""
    comment = cf.comment(body_text="Original.")
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    form = editor_client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(body_text="Edited <script>x</script>", status="approved")
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    comment.refresh_from_db()
    assert comment.body == "<p>Edited &lt;script&gt;x&lt;/script&gt;</p>"


def test_writers_cannot_moderate(client):
    """Writers have no access to the moderation queue."""
    client.force_login(factories.user(group="Writers"))
    assert client.get(reverse(CHANGELIST)).status_code == 403


def test_comments_cannot_be_added_in_admin(editor_client):
    """Comments come from readers; the admin has no add form."""
    assert editor_client.get(reverse("admin:comments_comment_add")).status_code == 403


def test_queue_query_count_does_not_grow_with_comments(editor_client):
    """The queue page costs the same queries for 42 comments with parents as for 2."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queue_queries():
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(reverse(CHANGELIST)).status_code == 200
        return len(captured)

    article = factories.article()
    parent = cf.comment(article=article)
    cf.comment(article=article, parent=parent, status=Comment.Status.PENDING)
    few = queue_queries()
    for _ in range(20):
        other = factories.article()
        reply_to = cf.comment(article=other)
        cf.comment(article=other, parent=reply_to, status=Comment.Status.PENDING)
    assert queue_queries() == few
