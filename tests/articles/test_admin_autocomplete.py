"""The admin's autocomplete lists (sources, countries, disclaimers) page through every row once, in order."""

import warnings

import pytest
from django.core.paginator import UnorderedObjectListWarning

from tests.support import factories as f

pytestmark = pytest.mark.django_db

# The autocomplete widget asks for 20 rows a page; the lists count articles per row (GROUP BY), where
# the model's default ordering does not apply.
FIELDS = [
    ("article", "citation", "source", f.source, "name"),
    ("article", "source", "country", f.country, "name"),
    ("article", "source", "default_disclaimer", f.disclaimer, "title"),
]


@pytest.mark.parametrize("field", FIELDS, ids=[field[2] for field in FIELDS])
def test_autocomplete_pages_through_every_row_once_in_order(admin_client, field):
    """Two pages of an autocomplete list hold every row exactly once, sorted, with no unordered pagination."""
    _, model_name, field_name, make, label = field
    rows = [make(**{label: f"Row {n:02d}"}) for n in range(25)]
    seen = []
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        for page in (1, 2):
            response = admin_client.get(
                "/admin/autocomplete/",
                {
                    "app_label": "articles",
                    "model_name": model_name,
                    "field_name": field_name,
                    "page": page,
                },
            )
            assert response.status_code == 200
            seen += [result["text"] for result in response.json()["results"]]
    assert seen == sorted(str(row) for row in rows)
