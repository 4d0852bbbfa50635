"""The demo newsroom's loader: writes articles/demo/content.py through the one write path, with
news graphics drawn by articles/demo/graphics.py.

Safe to run again: every row is looked up by its natural key (slug, or title for
disclaimers, username for users) and left exactly as it is when it already exists, so
editors' changes to demo content survive a rerun.
"""

from collections import Counter
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db.models import Q

from articles.demo import content as demo
from articles.demo import graphics
from articles.models import (
    Article,
    Author,
    Citation,
    Correction,
    Country,
    Disclaimer,
    Mineral,
    Section,
    Source,
)
from articles.services import article_save, correction_save

# The order the summary line reports in.
KINDS = ["articles", "sections", "minerals", "countries", "authors", "sources", "disclaimers", "users"]


def render_hero(seed, palette, size=demo.HERO_SIZE, graphic=None):
    """JPEG bytes of a story's news graphic (map, chart or timeline) in a mineral's colours; one seed and
    description, one image, every time."""
    return graphics.render(seed, palette, size, graphic)


class DemoLoader:
    """Creates whichever demo rows are missing, counting what it made and what it found."""

    def __init__(self, *, now):
        self.now = now
        self.created = Counter()
        self.present = 0
        self.stored_files = []

    def load(self):
        self.disclaimers = {
            item["title"]: self._ensure(
                Disclaimer, "disclaimers", {"title": item["title"]}, text=item["text"]
            )
            for item in demo.DISCLAIMERS
        }
        self.sections = {
            item["slug"]: self._ensure(
                Section,
                "sections",
                {"slug": item["slug"], "name": item["name"]},
                description=item["description"],
                position=item["position"],
                aliases=item.get("aliases", ""),
            )
            for item in demo.SECTIONS
        }
        self.minerals = {
            item["slug"]: self._ensure(
                Mineral,
                "minerals",
                {"slug": item["slug"], "name": item["name"]},
                symbol=item["symbol"],
                aliases=item["aliases"],
                description=item["description"],
            )
            for item in demo.MINERALS
        }
        self.countries = {
            item["slug"]: self._ensure(
                Country, "countries", {"slug": item["slug"], "name": item["name"]}, iso_code=item["iso_code"]
            )
            for item in demo.COUNTRIES
        }
        self.authors = {
            item["slug"]: self._ensure(
                Author,
                "authors",
                {"slug": item["slug"]},
                name=item["name"],
                role=item["role"],
                bio=item["bio"],
            )
            for item in demo.AUTHORS
        }
        self.sources = {item["slug"]: self._source(item) for item in demo.SOURCES}
        for item in demo.USERS:
            self._user(item)
        for item in demo.ARTICLES:
            self._article(item)

    def summary(self):
        made = ", ".join(f"{self.created[kind]} {kind}" for kind in KINDS)
        return f"Demo content: created {made}; {self.present} already present."

    def discard_files(self):
        """Remove images stored during a run whose rows were rolled back."""
        for storage, name in self.stored_files:
            storage.delete(name)

    def _ensure(self, model, counted_as, natural_key, **fields):
        # Any one natural key matching counts as present: an editor may have renamed a
        # section or re-slugged a tag, and a second row with the same unique name would fail.
        match = Q()
        for field, value in natural_key.items():
            match |= Q(**{field: value})
        existing = model.objects.filter(match).first()
        if existing is not None:
            self.present += 1
            return existing
        self.created[counted_as] += 1
        return model.objects.create(**natural_key, **fields)

    def _source(self, item):
        disclaimer = item["default_disclaimer"]
        return self._ensure(
            Source,
            "sources",
            {"slug": item["slug"], "name": item["name"]},
            url=item["url"],
            kind=Source.Kind(item["kind"]),
            country=self.countries[item["country"]],
            owner=item["owner"],
            controlled_by=item["controlled_by"],
            notes=item["notes"],
            default_disclaimer=self.disclaimers[disclaimer] if disclaimer else None,
        )

    def _user(self, item):
        User = get_user_model()
        if User.objects.filter(username=item["username"]).exists():
            self.present += 1
            return
        user = User(
            username=item["username"],
            first_name=item["first_name"],
            last_name=item["last_name"],
            email=item["email"],
            is_staff=True,
        )
        # Demo accounts show what each group sees; nobody can log in as them until a password is
        # set: `ensure_admin` (run by `make run`) gives each one and prints it.
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=item["group"]))
        self.created["users"] += 1

    def _article(self, item):
        if Article.objects.filter(slug=item["slug"]).exists():
            self.present += 1
            return
        disclaimer = item.get("disclaimer")
        article = Article(
            slug=item["slug"],
            title=item["title"],
            dek=item["dek"],
            highlights="\n".join(item["highlights"]),
            body=item["body"].strip(),
            section=self.sections[item["section"]],
            status=Article.Status(item["status"]),
            publish_at=self._publish_at(item),
            is_featured=item.get("is_featured", False),
            disclaimer=self.disclaimers[disclaimer] if disclaimer else None,
        )
        if hero := item.get("hero"):
            self._attach_hero(article, hero)

        def save_related():
            article.authors.set([self.authors[slug] for slug in item["authors"]])
            article.minerals.set([self.minerals[slug] for slug in item["minerals"]])
            article.countries.set([self.countries[slug] for slug in item["countries"]])
            for position, citation in enumerate(item["citations"]):
                Citation.objects.create(
                    article=article,
                    source=self.sources[citation["source"]],
                    url=citation["url"],
                    title=citation["title"],
                    note=citation["note"],
                    position=position,
                )

        article_save(article=article, save_related=save_related)
        for correction in item.get("corrections", []):
            correction_save(
                correction=Correction(article=article, kind=correction["kind"], text=correction["text"])
            )
        # Date the row from when it went out. update() leaves auto_now alone.
        written = min(article.publish_at, self.now)
        Article.objects.filter(pk=article.pk).update(created_at=written, updated_at=written)
        self.created["articles"] += 1

    def _publish_at(self, item):
        # Stories on real events carry the date they went out; the invented ones are dated from now.
        if "published_at" in item:
            return datetime.fromisoformat(item["published_at"])
        return self.now - timedelta(hours=item["hours_ago"])

    def _attach_hero(self, article, hero):
        graphic = hero["graphic"]
        image = render_hero(article.slug, demo.HERO_PALETTES[hero["mineral"]], graphic=graphic)
        article.hero_image.save(f"{article.slug}.jpg", ContentFile(image), save=False)
        self.stored_files.append((article.hero_image.storage, article.hero_image.name))
        article.hero_alt = hero.get("alt") or graphics.describe(graphic)
        article.hero_caption = hero["caption"]
        article.hero_credit = demo.HERO_CREDIT
