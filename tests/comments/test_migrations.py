from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_comment_models_have_migrations():
    """Model changes in the comments app come with their migration."""
    out = StringIO()
    try:
        call_command("makemigrations", "comments", "--check", "--dry-run", stdout=out)
    except SystemExit:
        pytest.fail(f"comments has model changes without a migration:\n{out.getvalue()}")
