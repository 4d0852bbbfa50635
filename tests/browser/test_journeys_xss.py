"""The script-injection corpus (tests/hostile_corpus.py) stored in every field that reaches a page,
through the paths editors and readers use, then every page it reaches opened in Chromium: no
payload runs (no dialog, no flag set, no console error), and no page carries an event handler, a
script: address or an inline script for one to hide in."""

import re
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client

from articles.models import Citation
from comments.models import Comment
from comments.services import comments_moderate
from tests.browser.journeys import new_page, screenshot, sign_in
from tests.support import factories as f
from tests.support import factories_comments as cf
from tests.support.factories_discovery import png_upload
from tests.support.hostile_corpus import XSS_FLAG, XSS_VECTORS, XSS_WEBSITES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Every way a payload could run and tell us: the dialogs (wrapped, so a dialog opened in a frame
# also sets the flag on the top window), and the flag itself, which some vectors set directly.
TRIPWIRE = """(() => {
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    const real = window[name];
    window[name] = function (...args) {
      try { top.%(flag)s = name; } catch (error) { /* a cross-origin frame cannot reach top */ }
      return real.apply(this, args);
    };
  }
})();""" % {"flag": XSS_FLAG}

# The flag, and what a page must not carry even if nothing fired on load: an event-handler attribute,
# an address that runs script, an inline script (JSON-LD, import maps and JSON data blocks are not run).
TRACES = r"""() => {
  const found = [];
  if (window.FLAG) found.push(`a payload ran (${window.FLAG})`);
  const runs = /^(javascript:|vbscript:|data:text\/html)/;
  const addresses = ["href", "src", "action", "formaction", "data", "xlink:href", "background", "poster"];
  for (const element of document.querySelectorAll("*")) {
    const tag = element.tagName.toLowerCase();
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\u0000-\u0020]/g, "").toLowerCase();
      if (name.startsWith("on")) found.push(`${tag}[${name}]`);
      const runnable = name === "srcdoc" || (addresses.includes(name) && runs.test(value));
      if (runnable) found.push(`${tag}[${name}=${value}]`);
    }
  }
  for (const script of document.scripts) {
    const executable = !script.type || /javascript|ecmascript|module/i.test(script.type);
    if (!script.src && executable) found.push("inline <script>");
  }
  return found;
}""".replace("FLAG", XSS_FLAG)

# A page where payloads do run, served in place of a real one to show the tripwire catches each kind.
CANARY_PATH = "/xss-canary/"
CANARY = (
    "<!doctype html><title>Canary</title><img src=x onerror=alert(1)><p>x</p><script>top.xssRan=1</script>"
)

# A kept <img src=x> asks the server for "x": the answer is a 404, logged by Chromium, and harmless.
HARMLESS_CONSOLE = re.compile(r"^Failed to load resource: the server responded with a status of 404")


@pytest.fixture(autouse=True)
def hostile_settings(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.COMMENTS_RATE_PER_IP = settings.COMMENTS_RATE_PER_EMAIL = 10_000
    settings.SEARCH_RATE_LIMIT = 10_000
    yield
    connections.close_all()


def store_corpus():
    """One article per vector, the vector in each of its fields and in everything it shows: source,
    author, disclaimer, both tags, citation, correction and a reader's comment sent through the
    comment form. Returns the articles and the subjects, whose pages are opened too."""
    section = f.section(name="Hostile input", slug="hostile-input")
    articles, subjects = [], []
    for n, vector in enumerate(XSS_VECTORS):
        source = f.source(name=f"{vector} {n}", owner=vector, controlled_by=vector, notes=vector)
        author = f.author(name=vector, role=vector, bio=vector)
        mineral = f.mineral(name=f"{vector} {n}", aliases=vector)
        country = f.country(name=f"{vector} {n}")
        article = f.article(
            title=vector,
            dek=vector,
            highlights=f"{vector}\n{vector}",
            body=vector,
            section=section,
            hero_image=png_upload(),
            hero_alt=vector,
            hero_caption=vector,
            hero_credit=vector,
            disclaimer=f.disclaimer(title=f"Hostile {n}", text=f"{vector} {{source}} {vector}"),
            authors=[author],
            minerals=[mineral],
            countries=[country],
            sources=[source],
        )
        Citation.objects.filter(article=article).update(title=vector, note=vector)
        if n % 8 == 0:
            f.correction(article=article, text=vector)
        articles.append(article)
        subjects += [source, author, mineral, country]
    return articles, [section, *subjects]


def post_comments(articles):
    """Each article gets a reader's comment whose name and body are its vector, sent through the
    comment form as a browser would; the website field gets the hostile addresses in turn. Returns
    the addresses the form refused."""
    client, refused = Client(), set()
    for n, article in enumerate(articles):
        website = XSS_WEBSITES[n % len(XSS_WEBSITES)]
        data = cf.post_data(
            article, author_name=XSS_VECTORS[n][:80], body_text=XSS_VECTORS[n], author_url=website
        )
        response = client.post(f"/comments/post/{article.pk}/", data)
        if response.status_code == 400:
            refused.add(website)
            data["author_url"] = ""
            data["token"] = cf.security_token(article)
            response = client.post(f"/comments/post/{article.pk}/", data)
        assert response.status_code == 302, response.content.decode()[:500]
    comments_moderate(
        comments=Comment.objects.filter(status=Comment.Status.PENDING), status=Comment.Status.APPROVED
    )
    return refused


class Tripwire:
    """Opens pages on one Chromium page and records whatever a payload did on each."""

    def __init__(self, page, live_server):
        self.page, self.base, self.findings, self.opened = page, live_server.url, [], 0
        page.context.add_init_script(TRIPWIRE)
        page.on(
            "dialog",
            lambda dialog: (self.findings.append(f"{page.url}: dialog {dialog.message!r}"), dialog.dismiss()),
        )
        # Nothing may leave this machine. Watched rather than intercepted: interception turns off
        # Chromium's cache, and every page would fetch its styles and scripts again.
        page.on("request", self._outside)

    def _outside(self, request):
        if re.match(r"https?://(?!localhost[:/])", request.url):
            self.findings.append(f"{self.page.url}: request to {request.url}")

    def check_canary(self):
        """Open a page where the payloads do run: each kind of trace must be caught."""
        self.page.route(
            self.base + CANARY_PATH, lambda route: route.fulfill(content_type="text/html", body=CANARY)
        )
        self.open(CANARY_PATH)
        self.page.unroute(self.base + CANARY_PATH)
        caught, self.findings = "\n".join(self.findings), []
        return caught

    def open(self, path):
        """Open `path` and record what ran on it."""
        self.page.problems.clear()
        response = self.page.goto(self.base + path)
        self.opened += 1
        assert response.status == 200, f"{path}: {response.status}"
        self.findings += [f"{path}: {trace}" for trace in self.page.evaluate(TRACES)]
        for problem in self.page.problems:
            if not HARMLESS_CONSOLE.match(problem):
                self.findings.append(f"{path}: console: {problem}")

    def open_pages(self, path):
        """Every page of a paginated list, following its "next" links."""
        while path:
            self.open(path)
            following = self.page.evaluate("() => document.querySelector('a[rel=next]')?.href")
            path = following[len(self.base) :] if following else None


def test_xss_corpus_in_every_field_runs_nowhere(browser, live_server):
    """Fifty-odd vectors in every field that reaches a page; every page they reach, for readers and
    for the desk, opened in Chromium: nothing runs, nothing leaves the machine, no handler or script:
    address survives in the markup."""
    articles, subjects = store_corpus()
    refused = post_comments(articles)
    assert {
        "javascript:alert(1)",
        "JaVaScRiPt:top.xssRan=1",
        "data:text/html,<script>alert(1)</script>",
    } <= refused
    assert Comment.objects.approved().count() == len(articles)

    reader = Tripwire(new_page(browser), live_server)
    caught = reader.check_canary()
    assert (
        "dialog '1'" in caught
        and "a payload ran" in caught
        and "img[onerror]" in caught
        and "inline <script>" in caught
    )

    reader.open_pages("/")
    for article in articles:
        reader.open(article.get_absolute_url())
    for subject in subjects:
        reader.open_pages(subject.get_absolute_url())
    for path in ("/minerals/", "/countries/", "/sources/", "/corrections/", "/newsletter/"):
        reader.open(path)
    for query in [*XSS_VECTORS, "alert", "onerror", "script"]:
        reader.open("/search/?q=" + quote(query))

    # The desk: the admin's lists and forms show the same values, under the admin's own policy.
    desk_page = sign_in(new_page(browser), live_server, f.user(username="desk-admin", superuser=True))
    desk = Tripwire(desk_page, live_server)
    admin = "/" + django_settings.ADMIN_PATH
    for path in (
        "articles/article/",
        f"articles/article/{articles[0].pk}/change/",
        f"articles/article/{articles[1].pk}/change/",
        "articles/source/",
        "articles/author/",
        "articles/mineral/",
        "articles/country/",
        "articles/disclaimer/",
        "articles/correction/",
        "comments/comment/",
        f"comments/comment/{Comment.objects.first().pk}/change/",
    ):
        desk.open(admin + path)
    desk.open(articles[2].get_preview_url())

    screenshot(reader.page, "xss-corpus")
    assert reader.opened + desk.opened > 6 * len(XSS_VECTORS)
    assert reader.findings + desk.findings == []
    reader.page.context.close()
    desk.page.context.close()
