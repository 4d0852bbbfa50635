"""What a revision keeps of an article, and how a kept state is put back.

A snapshot is plain JSON read from the database after a write, so it holds what was really
stored: the row's fields, the byline, both tag sets, the citations in order (with each source's
name and kind as they were), the hero photo, the disclaimer chosen and as shown, the corrections,
and how the article is published. FIELDS says, for each field, whether readers see it (a change
moves "Updated"), whether restoring a revision puts it back, and whether a writer's proposal can
change it (what approving applies).
"""

from dataclasses import dataclass
from datetime import timezone as dt_timezone

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles.models import Article, Author, Citation, Correction, Disclaimer, Section, Source
from articles.revisions.compare import html_to_text, text_diff
from core.formats import short_datetime


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    reader_visible: bool = False
    restored: bool = True
    proposed: bool = True


FIELDS = (
    Field("title", "Headline", reader_visible=True),
    Field("slug", "Address", restored=False),
    Field("dek", "Standfirst", reader_visible=True),
    Field("highlights", "Highlights", reader_visible=True),
    Field("body", "Body", reader_visible=True),
    Field("section", "Section"),
    Field("authors", "Authors"),
    Field("minerals", "Minerals"),
    Field("countries", "Countries"),
    Field("citations", "Sources cited", reader_visible=True),
    Field("hero_image", "Hero photo", reader_visible=True),
    Field("hero_alt", "Photo description", reader_visible=True),
    Field("hero_caption", "Photo caption", reader_visible=True),
    Field("hero_credit", "Photo credit", reader_visible=True),
    Field("disclaimer", "Disclaimer chosen"),
    Field("disclaimer_text", "Disclaimer as published", restored=False, proposed=False),
    Field("corrections", "Corrections", reader_visible=True, restored=False, proposed=False),
    Field("status", "Status", restored=False, proposed=False),
    Field("publish_at", "Publish at", restored=False, proposed=False),
    Field("is_featured", "Featured", restored=False, proposed=False),
    Field("allow_comments", "Comments open", restored=False),
)
BY_NAME = {field.name: field for field in FIELDS}
READER_VISIBLE = frozenset(field.name for field in FIELDS if field.reader_visible)
RESTORED = tuple(field.name for field in FIELDS if field.restored)
PROPOSED = tuple(field.name for field in FIELDS if field.proposed)
_TEXT = ("title", "slug", "dek", "highlights", "body", "hero_alt", "hero_caption", "hero_credit")


@dataclass(frozen=True)
class CitedSource:
    """A cited source as a snapshot recorded it, for the provenance rules."""

    pk: int
    name: str
    kind: str

    @property
    def is_state_media(self):
        return self.kind == Source.Kind.STATE_MEDIA

    @property
    def is_primary(self):
        return self.kind in Source.PRIMARY_KINDS


def _moment(value):
    return timezone.localtime(value, dt_timezone.utc).isoformat()


def take(article_id):
    """The article's state as stored now (six queries)."""
    row = Article.objects.select_related("section", "disclaimer").get(pk=article_id)
    citations = (
        Citation.objects.filter(article_id=article_id).select_related("source").order_by("position", "id")
    )
    return {
        **{name: getattr(row, name) for name in _TEXT},
        "section": {"id": row.section_id, "name": row.section.name},
        "authors": [
            {"id": pk, "name": name}
            for pk, name in Author.objects.filter(articles=article_id)
            .order_by("name", "pk")
            .values_list("pk", "name")
        ],
        "minerals": sorted(row.minerals.names()),
        "countries": sorted(row.countries.names()),
        "citations": [
            {
                "source_id": c.source_id,
                "source": c.source.name,
                "kind": c.source.kind,
                "url": c.url,
                "title": c.title,
                "note": c.note,
            }
            for c in citations
        ],
        "hero_image": row.hero_image.name or "",
        "disclaimer": {"id": row.disclaimer_id, "title": row.disclaimer.title} if row.disclaimer_id else None,
        "disclaimer_text": row.published_disclaimer if row.disclaimer_frozen_at else "",
        "corrections": [
            {
                "id": c["id"],
                "kind": c["kind"],
                "date": c["date"].isoformat(),
                "text": c["text"],
                "material": c["material"],
            }
            for c in row.corrections.order_by("date", "id").values("id", "kind", "date", "text", "material")
        ],
        "status": row.status,
        "publish_at": _moment(row.publish_at),
        "is_featured": row.is_featured,
        "allow_comments": row.allow_comments,
    }


def changed_fields(before, after):
    """Names of the fields that differ, in FIELDS order; every field when there is no `before`."""
    if before is None:
        return [field.name for field in FIELDS]
    return [field.name for field in FIELDS if before.get(field.name) != after.get(field.name)]


def cited_sources(snapshot):
    return [CitedSource(c["source_id"], c["source"], c["kind"]) for c in snapshot.get("citations", [])]


def lead_source_id(snapshot):
    citations = snapshot.get("citations") or []
    return citations[0]["source_id"] if citations else None


def apply(article, snapshot, names):
    """Put the fields `names` of `snapshot` on `article` (unsaved). Returns (save_related, notes):
    call save_related() after the row is saved to put back its relations; notes say what could not
    come back because it has since been deleted."""
    notes = []
    for name in names:
        if name in _TEXT:
            setattr(article, name, snapshot[name])
        elif name == "hero_image":
            article.hero_image = snapshot[name] or None
        elif name == "allow_comments":
            article.allow_comments = snapshot[name]
    if "section" in names:
        section = Section.objects.filter(pk=snapshot["section"]["id"]).first()
        if section is None:
            notes.append(
                f"The section {snapshot['section']['name']} no longer exists; the section was left as it is."
            )
        else:
            article.section = section
    if "disclaimer" in names:
        chosen = snapshot["disclaimer"]
        article.disclaimer = Disclaimer.objects.filter(pk=chosen["id"]).first() if chosen else None
        if chosen and article.disclaimer is None:
            notes.append(
                f"The disclaimer {chosen['title']} no longer exists; the lead source's default applies."
            )

    def save_related():
        if "authors" in names:
            wanted = [author["id"] for author in snapshot["authors"]]
            found = list(Author.objects.filter(pk__in=wanted))
            article.authors.set(found)
            if len(found) < len(wanted):
                notes.append("Authors deleted since then were left off the byline.")
        if "minerals" in names:
            article.minerals.set(snapshot["minerals"])
        if "countries" in names:
            article.countries.set(snapshot["countries"])
        if "citations" in names:
            article.citations.all().delete()
            sources = Source.objects.in_bulk([c["source_id"] for c in snapshot["citations"]])
            kept = [c for c in snapshot["citations"] if c["source_id"] in sources]
            Citation.objects.bulk_create(
                Citation(
                    article=article,
                    source=sources[c["source_id"]],
                    url=c["url"],
                    title=c["title"],
                    note=c["note"],
                    position=position,
                )
                for position, c in enumerate(kept)
            )
            if len(kept) < len(snapshot["citations"]):
                notes.append("Citations of sources deleted since then were left out.")

    return save_related, notes


def display_text(name, value):
    """A field's value as plain text for comparing side by side."""
    if value is None or value == "" or value == []:
        return ""
    if name == "body":
        return html_to_text(value)
    if name == "section":
        return value["name"]
    if name == "disclaimer":
        return value["title"]
    if name == "authors":
        return "\n".join(author["name"] for author in value)
    if name in ("minerals", "countries"):
        return "\n".join(value)
    if name == "citations":
        return "\n".join(
            " · ".join(part for part in (c["source"], c["title"], c["url"], c["note"]) if part) for c in value
        )
    if name == "corrections":
        labels = dict(Correction.Kind.choices)
        return "\n".join(
            f"{labels.get(c['kind'], c['kind'])}, {c['date']}"
            f"{' (material)' if c['material'] else ''}: {c['text']}"
            for c in value
        )
    if name == "status":
        return Article.Status(value).label
    if name == "publish_at":
        moment = parse_datetime(value)
        return short_datetime(moment) if moment else value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


@dataclass(frozen=True)
class ComparedField:
    label: str
    before: str  # HTML, removed words marked
    after: str  # HTML, added words marked
    changed: bool


def compare(before, after, *, names=None):
    """The fields of two snapshots (all, or those in `names`) side by side, with the changed words marked."""
    rows = []
    for field in FIELDS:
        if names is not None and field.name not in names:
            continue
        old, new = (
            display_text(field.name, before.get(field.name)),
            display_text(field.name, after.get(field.name)),
        )
        old_html, new_html = text_diff(old, new)
        rows.append(
            ComparedField(field.label, old_html, new_html, before.get(field.name) != after.get(field.name))
        )
    return rows
