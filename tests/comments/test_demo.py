"""`manage.py seed_demo_comments`: a demo discussion with a reply thread and a moderator, added once."""

import pytest
from django.core.management import CommandError, call_command

from comments.models import Comment
from tests.support import factories as f


@pytest.mark.django_db
def test_demo_comments_thread_and_rerun(settings, capsys):
    """Comments land approved with a nested reply and a staff reply; a rerun adds nothing."""
    settings.DEBUG = True
    call_command("seed_demo")
    f.user(superuser=True)
    call_command("seed_demo_comments")
    assert capsys.readouterr().out.strip().endswith("Demo comments: created 5; 0 already present.")
    assert Comment.objects.approved().count() == 5
    reply = Comment.objects.get(author_name="Desk")
    assert reply.parent.parent is not None and reply.is_moderator
    call_command("seed_demo_comments")
    assert capsys.readouterr().out.strip() == "Demo comments: created 0; 5 already present."
    assert Comment.objects.count() == 5


@pytest.mark.django_db
def test_demo_comments_need_the_demo_articles():
    """Without seed_demo first, the command stops with one readable line and stores nothing."""
    with pytest.raises(CommandError, match="run `manage.py seed_demo` first"):
        call_command("seed_demo_comments")
    assert not Comment.objects.exists()
