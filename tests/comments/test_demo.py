"""`manage.py seed_demo_comments`: a demo discussion with a reply thread and a moderator, added once."""

import pytest
from django.core.management import CommandError, call_command

from comments.management.commands.seed_demo_comments import THREADS
from comments.models import Comment
from tests.support import factories as f


@pytest.mark.django_db
def test_demo_comments_thread_and_rerun(settings, capsys):
    """Comments land approved with a nested reply and staff replies (one on a story about real events); a
    rerun adds nothing."""
    settings.DEBUG = True
    call_command("seed_demo")
    f.user(superuser=True)
    call_command("seed_demo_comments")
    assert capsys.readouterr().out.strip().endswith("Demo comments: created 7; 0 already present.")
    assert Comment.objects.approved().count() == 7
    reply = Comment.objects.get(author_name="Desk", article__slug="magnet-export-licences-slow-shipments")
    assert reply.parent.parent is not None and reply.is_moderator
    answer = Comment.objects.get(
        author_name="Desk", article__slug="rare-earth-export-controls-suspension-nears-end"
    )
    assert answer.parent.author_name == "J. Whitcombe" and answer.is_moderator
    call_command("seed_demo_comments")
    assert capsys.readouterr().out.strip() == "Demo comments: created 0; 7 already present."
    assert Comment.objects.count() == 7


@pytest.mark.django_db
def test_demo_comments_need_the_demo_articles():
    """Without seed_demo first, the command stops with one readable line and stores nothing."""
    with pytest.raises(CommandError, match="run `manage.py seed_demo` first"):
        call_command("seed_demo_comments")
    assert not Comment.objects.exists()


def test_demo_comments_use_typographic_quotes():
    """Seeded readers' and moderators' comments carry curly quotes and apostrophes, as the articles do."""
    texts = [comment[5] for thread in THREADS.values() for comment in thread]
    assert texts and not [text for text in texts if "'" in text or '"' in text]
