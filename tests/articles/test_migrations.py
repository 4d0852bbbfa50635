"""The editorial record starts from existing data: "Updated" times kept, published disclaimers frozen,
ownership begun."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE, AFTER = ("articles", "0006_any_script_slugs"), ("articles", "0008_editorial_trust_data")


@pytest.fixture
def back_to_the_latest_schema():
    """Whatever the test does, the database ends on the newest migrations, as every other test expects."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_articles_and_sources_enter_the_record(back_to_the_latest_schema):
    """Migrating keeps each article's last edit as its "Updated" time and freezes what published ones show."""
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    section = old.get_model("articles", "Section").objects.create(name="Supply", slug="supply")
    disclaimer = old.get_model("articles", "Disclaimer").objects.create(
        title="State", text="{source} is run by {owner}."
    )
    source = old.get_model("articles", "Source").objects.create(
        name="Harbour Daily", slug="harbour-daily", owner="City Press Group", default_disclaimer=disclaimer
    )
    unowned = old.get_model("articles", "Source").objects.create(name="Anon", slug="anon")
    Article = old.get_model("articles", "Article")
    edited = timezone.now() - timedelta(days=3)
    live = Article.objects.create(title="Live", slug="live", section=section, status="published")
    draft = Article.objects.create(title="Draft", slug="draft", section=section, status="draft")
    old.get_model("articles", "Citation").objects.create(article=live, source=source)
    Article.objects.update(updated_at=edited)
    # Made by 0002; an earlier transactional test's flush may have removed it.
    old.get_model("auth", "Group").objects.get_or_create(name="Editors")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([AFTER])
    new = executor.loader.project_state([AFTER]).apps
    Article = new.get_model("articles", "Article")
    live, draft = Article.objects.get(pk=live.pk), Article.objects.get(pk=draft.pk)
    assert live.content_updated_at == edited and draft.content_updated_at == edited
    assert (
        live.published_disclaimer == "Harbour Daily is run by City Press Group." and live.disclaimer_frozen_at
    )
    assert draft.disclaimer_frozen_at is None
    history = new.get_model("articles", "SourceOwnership").objects
    assert list(history.values_list("source_id", "owner", "since")) == [(source.pk, "City Press Group", None)]
    assert not history.filter(source_id=unowned.pk).exists()
    editors = new.get_model("auth", "Group").objects.get(name="Editors")
    assert editors.permissions.filter(codename="add_correction").exists()
