"""/favicon.ico answers with the site's icon in every mode: production, the test suite and DJANGO_DEBUG=1."""

import pytest

from tests.site.test_project_settings import PRODUCTION, run_manage

ICO_HEADER = b"\x00\x00\x01\x00"
FETCH = (
    "from django.test import Client; r = Client().get('/favicon.ico'); "
    "print(r.status_code, r['Content-Type'], b''.join(r.streaming_content)[:4] == b'\\x00\\x00\\x01\\x00')"
)


def test_favicon_ico_is_the_site_icon(client):
    """Browsers and feed readers asking for /favicon.ico get an icon file, not a 404 or a redirect."""
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert b"".join(response.streaming_content).startswith(ICO_HEADER)


@pytest.mark.parametrize("mode", ["debug", "production"])
def test_favicon_ico_answers_in_every_mode(mode):
    """With DJANGO_DEBUG=1 (as `make run` serves) and without it, /favicon.ico is the icon."""
    env = (
        {"DJANGO_DEBUG": "1"}
        if mode == "debug"
        else {
            **PRODUCTION,
            "SITE_URL": "https://news.example.org",
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
        }
    )
    result = run_manage("shell", "-c", FETCH, **env)
    assert result.returncode == 0, result.stderr
    status, content_type, is_icon = result.stdout.strip().splitlines()[-1].split()
    assert (status, is_icon) == ("200", "True") and "icon" in content_type
