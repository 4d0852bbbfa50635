"""WordPress categories, tags and authors as newsroom's sections, minerals, countries and authors.

A term is decided once per run, in this order: the `--map` file's row for it; for a tag (or a
category) a mineral or country whose name, alias, slug, symbol or ISO code it spells, in any script
and any case; a category otherwise becomes the section of that name or alias (made if there is none).
A tag that nothing matches is left off the articles and listed in the report, never dropped
silently. Names are compared NFKC-normalised and case-folded, as core.slugs makes addresses.

The map is a CSV file with the columns kind, term, target_kind, target:
    category,Uncategorized,section,Archive
    tag,REE,mineral,Rare earths
    tag,misc,drop,
    author,jdoe,author,Jane Doe        (credit the login's posts to this author: rename or merge)
    author,jdoe,bio,Covers lithium from Santiago.
"""

import csv
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

from articles.models import Author, Country, Mineral, Section
from core import slugs
from importer.models import ImportedAuthor

TERM_KINDS = {
    "category": ("section", "mineral", "country", "drop"),
    "tag": ("section", "mineral", "country", "drop"),
}
AUTHOR_TARGETS = ("author", "bio", "drop")
HEADER = ["kind", "term", "target_kind", "target"]


class MapError(ValueError):
    """The map file cannot be used; the message names the line."""


def fold(text):
    return " ".join(unicodedata.normalize("NFKC", unquote(text or "")).casefold().split())


@dataclass(frozen=True)
class Decision:
    """What a term becomes: kind is "section", "mineral", "country" or "drop"; `how` says why."""

    kind: str
    target: object = None
    how: str = ""


@dataclass
class TermMap:
    """The rows of a --map file: {(kind, folded term): (target_kind, target)}."""

    rows: dict
    text: str = ""

    @classmethod
    def empty(cls):
        return cls(rows={})

    @classmethod
    def read(cls, path):
        try:
            with open(path, newline="", encoding="utf-8-sig") as handle:
                text = handle.read()
        except OSError as error:
            raise MapError(f"{path}: cannot be read ({error.strerror or error}).") from None
        except UnicodeDecodeError:
            raise MapError(f"{path}: is not UTF-8 text.") from None
        rows = {}
        for number, row in enumerate(csv.reader(text.splitlines()), start=1):
            if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
                continue
            cells = [cell.strip() for cell in row] + [""] * (4 - len(row))
            if number == 1 and [cell.lower() for cell in cells[:4]] == HEADER:
                continue
            kind, term, target_kind = cells[0].lower(), cells[1], cells[2].lower()
            target = ",".join(cells[3:]).strip(", ") if len(row) > 4 else cells[3]
            allowed = AUTHOR_TARGETS if kind == "author" else TERM_KINDS.get(kind)
            if allowed is None:
                raise MapError(
                    f"{path}, line {number}: kind must be category, tag or author, not “{cells[0]}”."
                )
            if target_kind not in allowed:
                raise MapError(
                    f"{path}, line {number}: a {kind} maps to {', '.join(allowed)}, not “{cells[2]}”."
                )
            if not term or (target_kind != "drop" and not target):
                raise MapError(f"{path}, line {number}: give the term and what it maps to.")
            targets = rows.setdefault((kind, fold(term)), {})
            if target_kind in targets or (kind != "author" and targets):
                raise MapError(f"{path}, line {number}: the {kind} “{term}” is mapped twice.")
            targets[target_kind] = target
        return cls(rows=rows, text=text)

    def get(self, kind, *names):
        """{target_kind: target} for the first of `names` the map has a row for, else {}."""
        for name in names:
            if found := self.rows.get((kind, fold(name))):
                return found
        return {}


class Vocabulary:
    """The minerals and countries a term may name, read once, and the sections made or found."""

    def __init__(self):
        self.names = {}  # folded name, alias or slug: {("mineral"|"country", pk)}
        self.codes = {}  # folded symbol or ISO code: same
        self.objects = {}
        for kind, model in (("mineral", Mineral), ("country", Country)):
            for subject in model.objects.all():
                self._add(kind, subject)
        # Sections by folded name, slug or alias ("Policy" answers to "Export controls").
        self.sections = {}
        for section in Section.objects.all():
            for word in (section.name, section.slug, *section.alias_list):
                self.sections.setdefault(fold(word), section)

    def _add(self, kind, subject):
        key = (kind, subject.pk)
        self.objects[key] = subject
        words = [subject.name, subject.slug, *subject.alias_list]
        codes = [subject.symbol if kind == "mineral" else subject.iso_code]
        for word in words:
            if word:
                self.names.setdefault(fold(word), set()).add(key)
        for code in codes:
            if code:
                self.codes.setdefault(fold(code), set()).add(key)

    def subject(self, name, slug=""):
        """The one mineral or country `name` (or the term's slug) spells, as (kind, subject); None when
        none or more than one does."""
        for index in (self.names, self.codes):
            found = set()
            for word in (name, slug, slug.replace("-", " ") if slug else ""):
                if word:
                    found |= index.get(fold(word), set())
            if len(found) == 1:
                key = next(iter(found))
                return key[0], self.objects[key]
            if found:
                return None  # two subjects answer to it: only the map can say which
        return None

    def named(self, kind, target, *, create):
        """The mineral or country a map row names (found as any term would be, or made)."""
        found = self.subject(target)
        if found is not None and found[0] == kind:
            return found[1]
        if not create:
            return None
        model = Mineral if kind == "mineral" else Country
        subject = model.objects.filter(name__iexact=target).first() or model.objects.create(name=target)
        self._add(kind, subject)
        return subject

    def section(self, name, slug=""):
        """The section `name` (or the term's slug) names, by name, slug or alias; made when there is none."""
        for word in (name, unquote(slug)):
            if word and (found := self.sections.get(fold(word))) is not None:
                return found
        base = slugs.slugify(unquote(slug) or name, max_length=80) or slugs.slugify(name, max_length=80)
        section = Section.objects.create(name=name[:80], slug=_free_slug(Section, base or "section", 80))
        for word in (name, unquote(slug), section.slug):
            if word:
                self.sections[fold(word)] = section
        return section


def _free_slug(model, base, max_length):
    slug, number = base[:max_length], 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        suffix = f"-{number}"
        slug = base[: max_length - len(suffix)] + suffix
    return slug


def decide(*, kind, name, slug, term_map, vocabulary):
    """The Decision for a category or tag of the export."""
    mapped = term_map.get(kind, name, unquote(slug))
    if mapped:
        ((target_kind, target),) = mapped.items()
        if target_kind == "drop":
            return Decision("drop", how="map")
        if target_kind == "section":
            return Decision("section", vocabulary.section(target), how="map")
        return Decision(target_kind, vocabulary.named(target_kind, target, create=True), how="map")
    found = vocabulary.subject(name, unquote(slug))
    if found is not None:
        return Decision(found[0], found[1], how="match")
    if kind == "category":
        return Decision("section", vocabulary.section(name or unquote(slug), slug), how="category")
    return Decision("unmatched")


def author_for(*, login, display_name, term_map, site):
    """(Author or None, how) for a WordPress login: the map's rename, merge, bio or drop, else the
    author this login became before, else one of the same name, else a new one. `how` is one of
    "dropped", "renamed or merged", "found", "created"."""
    rows = term_map.get("author", login)
    if "drop" in rows:
        return None, "dropped"
    how = "found"
    author = None
    if rows.get("author"):
        author = Author.objects.filter(name__iexact=rows["author"]).first()
        how = "renamed or merged"
    else:
        known = ImportedAuthor.objects.filter(site=site, login=login).select_related("author").first()
        author = known.author if known is not None else None
    name = rows.get("author") or display_name or login
    if author is None:
        author = Author.objects.filter(name__iexact=name).first()
    if author is None:
        slug = _free_slug(Author, slugs.slugify(name, max_length=120) or "author", 120)
        author = Author.objects.create(name=name[:120], slug=slug)
        how = "renamed or merged" if rows.get("author") else "created"
    if rows.get("bio") and author.bio != rows["bio"]:
        author.bio = rows["bio"]
        author.save(update_fields=["bio"])
    ImportedAuthor.objects.update_or_create(site=site, login=login, defaults={"author": author})
    return author, how
