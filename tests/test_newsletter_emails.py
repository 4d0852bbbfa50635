import pytest

from newsletter import emails
from tests import factories_newsletter as nf

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("build", ["confirmation_message", "already_subscribed_message", "welcome_message"])
def test_html_part_carries_its_own_styles(build):
    """Mail clients never load the site's stylesheet, so the HTML part brings the house look with it."""
    html = getattr(emails, build)(nf.subscriber()).alternatives[0].content
    assert "<style>" in html and 'class="mail-body"' in html
