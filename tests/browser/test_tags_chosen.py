"""In the article form, minerals are chosen from the desk's own list: a typo finds nothing to choose and
creates nothing."""

import pytest

from articles.models import Article, Mineral
from tests.support import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_mineral_is_chosen_and_a_typo_offers_nothing(editor_page, live_server):
    """Typing "lith" offers Lithium, which is saved; typing "Lithum" offers no match and makes no mineral."""
    page = editor_page
    f.mineral(name="Lithium")
    f.mineral(name="Cobalt")
    story = f.article(title="Brine quotas")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    search = page.locator("select[name='minerals'] + .select2 .select2-search__field")
    search.fill("Lithum")
    page.locator(".select2-results__message", has_text="No results found").wait_for()
    search.fill("")
    search.press_sequentially("lith")
    page.locator(".select2-results__option", has_text="Lithium").click()
    page.click("input[name=_continue]")
    page.wait_for_url(f"**/admin/articles/article/{story.pk}/change/")
    assert list(Article.objects.get(pk=story.pk).minerals.names()) == ["Lithium"]
    assert not Mineral.objects.filter(name="Lithum").exists()
    assert page.problems == []
