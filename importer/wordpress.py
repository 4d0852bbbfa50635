"""Importing a WordPress export: the two passes over the file and what each post becomes.

The first pass reads the whole file without writing anything: a file that is not well-formed
stops the import there, before a row is written. It keeps only what later items may need: the
attachments (a featured image is often exported after its post) and which of them anything uses.
The second pass writes each post, its comments and its old addresses in a savepoint of its own (a
post that fails is rolled back alone; posts commit fifty at a time), through
articles.services.article_save (which decides publishing, keeps a revision, indexes the article for
search and drops cached pages) and the comments app's service. A dry run does the same inside one
transaction that is rolled back, and stores no file.

Each post is remembered by the WordPress site's address and its post id (ImportedPost), with a
digest of everything the article is made from: a second run writes only the posts that changed.
Dates are WordPress's GMT dates; a draft without one is read in the site's TIME_ZONE.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from articles.models import Article
from articles.services import article_save
from comments.invalidation import batched as comment_pages_batched
from core import slugs, wxr
from importer import addresses, bodies, discussion, pictures, terms
from importer.models import ImportedPost
from importer.report import Report

STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.IN_REVIEW,
}
SKIPPED_TYPES = {"revision": "revisions", "nav_menu_item": "nav menu items"}
_PUBLISHED = ("publish", "future")
POSTS_PER_COMMIT = 50


class _DryRun(Exception):
    """Raised at the end of a dry run to roll everything back."""


@dataclass(frozen=True)
class Attachment:
    url: str
    relative: str  # inside the uploads folder
    alt: str
    caption: str


def date_of(gmt, local):
    """The moment of a WordPress date pair; None when neither is set ("0000-00-00 00:00:00")."""
    for value, zone in ((gmt, UTC), (local, timezone.get_default_timezone())):
        try:
            moment = datetime.strptime((value or "").strip(), "%Y-%m-%d %H:%M:%S")
        except ValueError:
            continue
        if moment.year > 1900:
            return moment.replace(tzinfo=zone)
    return None


class WordPressImport:
    def __init__(self, path, *, uploads=None, term_map=None, dry_run=False):
        self.path = path
        self.uploads = pictures.Uploads(uploads)
        self.uploads_given = uploads is not None
        self.term_map = term_map or terms.TermMap.empty()
        self.dry_run = dry_run
        self.report = Report()
        self.site = wxr.Site()
        self.attachments = {}
        self.used_attachments = set()
        self.declared = {}  # (taxonomy, slug): Term
        self.decisions = {}  # ("category"|"tag", slug or name): Decision
        self.authors = {}  # login: wxr.Author
        self.credited = {}  # login: Author or None

    @property
    def site_key(self):
        return self.site.url[:200]

    def run(self):
        """Import the file; returns the Report. WXRError (nothing written) for a malformed file."""
        self._survey()
        if not self.dry_run:
            self.vocabulary = terms.Vocabulary()
            self._write()
            return self.report
        try:
            with transaction.atomic():
                self.vocabulary = terms.Vocabulary()
                self._write()
                raise _DryRun
        except _DryRun:
            pass
        return self.report

    # The first pass: check the whole file, and keep what later items need.
    def _survey(self):
        referenced = set()
        thumbnails = set()
        for piece in wxr.read(self.path):
            if isinstance(piece, wxr.Item):
                if piece.post_type == "attachment":
                    relative = piece.meta_value("_wp_attached_file").lstrip("/") or pictures.uploads_path(
                        piece.attachment_url or piece.guid
                    )
                    self.attachments[piece.id] = Attachment(
                        url=piece.attachment_url or piece.guid,
                        relative=relative or "",
                        alt=bodies.one_line(piece.meta_value("_wp_attachment_image_alt"), 250)[0],
                        caption=bodies.one_line(piece.excerpt, 300)[0],
                    )
                elif piece.post_type in ("post", "page"):
                    if (thumbnail := piece.meta_value("_thumbnail_id").strip()).isdigit():
                        thumbnails.add(int(thumbnail))
                    referenced |= pictures.referenced_uploads(piece.content)
        for attachment_id, attachment in self.attachments.items():
            if attachment_id in thumbnails or pictures.original(attachment.relative) in referenced:
                self.used_attachments.add(attachment_id)
        self.report.attachments_unused = len(self.attachments) - len(self.used_attachments)

    # The second pass: write.
    def _write(self):
        """Write every post, POSTS_PER_COMMIT to a transaction and each in a savepoint of its own: a post that
        fails is rolled back alone, what is written is kept as it goes (a run stopped half-way resumes
        where it stopped when run again), and the commits stay few."""
        pieces = wxr.read(self.path)
        finished = False
        while not finished:
            # Comments' pages are dropped once per batch (a regular commenter's every page would
            # otherwise be dropped again for each of their comments), when it commits.
            with transaction.atomic(), comment_pages_batched():
                finished = self._write_some(pieces, POSTS_PER_COMMIT)
        self.report.redirects.update(
            addresses.record_archives(
                site_url=self.site.url,
                site_key=self.site_key,
                decisions=self.decisions,
                declared=self.declared,
            )
        )

    def _write_some(self, pieces, posts):
        """Write pieces until `posts` posts are done; True when the file is."""
        for piece in pieces:
            if isinstance(piece, wxr.Site):
                self.site = piece
            elif isinstance(piece, wxr.Author):
                self.authors[piece.login] = piece
            elif isinstance(piece, wxr.Term):
                self.declared[(piece.taxonomy, piece.slug)] = piece
            elif piece.post_type == "post":
                self._post(piece)
                posts -= 1
                if posts == 0:
                    return False
            elif piece.post_type == "page":
                if piece.status not in ("trash", "auto-draft", "inherit"):
                    self.report.pages.append((piece.id, bodies.one_line(piece.title, 200)[0], piece.link))
                if piece.comments:
                    self.report.comments_skipped["on pages"] += len(piece.comments)
            elif piece.post_type != "attachment":
                reason = SKIPPED_TYPES.get(piece.post_type, f"{piece.post_type} items")
                self.report.skipped[reason] += 1
        return True

    def _post(self, item):
        report = self.report
        report.posts_found += 1
        if item.status not in STATUSES:
            report.skipped[item.status or "no status"] += 1
            if item.comments:
                report.comments_skipped["on skipped posts"] += len(item.comments)
            return
        title, cut = bodies.one_line(item.title, 200)
        title = title or f"Untitled post {item.id}"
        if cut:
            report.notes.append((title, "the title was cut to 200 characters"))
        try:
            with transaction.atomic():
                outcome = self._write_post(item, title)
        except (ValidationError, PermissionDenied, DatabaseError, ValueError, OSError) as error:
            # Sections, tags and authors made for this post went with its transaction: read them again.
            self.vocabulary = terms.Vocabulary()
            self.decisions.clear()
            self.credited.clear()
            report.posts["failed"] += 1
            why = " ".join(
                getattr(error, "messages", None)
                or [str(error).splitlines()[0] if str(error) else repr(error)]
            )
            if item.status in _PUBLISHED:
                report.fail(f"post {item.id} “{title}”", why)
            else:
                report.notes.append((title, f"{item.status} post {item.id} not imported: {why}"))
            return
        report.posts[outcome] += 1

    def _decision(self, kind, slug, name):
        key = (kind, slug or name)
        if key not in self.decisions:
            decision = terms.decide(
                kind=kind, name=name, slug=slug, term_map=self.term_map, vocabulary=self.vocabulary
            )
            self.decisions[key] = decision
            if decision.kind != "unmatched":
                self.report.term_outcomes[(kind, name)] = decision.how
                target = "dropped" if decision.kind == "drop" else f"→ {decision.kind} {decision.target}"
                if decision.how != "category" or decision.target.name != name:
                    self.report.mapped_terms[(kind, name)] = f"{target} ({decision.how})"
        return self.decisions[key]

    def _subjects(self, item, title):
        section, minerals, countries, extra_sections = None, [], [], []
        for taxonomy, slug, name in item.terms:
            kind = {"category": "category", "post_tag": "tag"}.get(taxonomy)
            if kind is None:
                if taxonomy != "post_format":  # a post's format (aside, video…) is presentation only
                    self.report.unmatched[(taxonomy, name)] += 1
                continue
            decision = self._decision(kind, slug, name)
            if decision.kind == "section":
                if section is None:
                    section = decision.target
                elif decision.target != section:
                    extra_sections.append(decision.target.name)
            elif decision.kind == "mineral":
                minerals.append(decision.target)
            elif decision.kind == "country":
                countries.append(decision.target)
            elif decision.kind == "unmatched":
                self.report.unmatched[(kind, name)] += 1
        if extra_sections:
            self.report.notes.append(
                (title, f"also in {', '.join(extra_sections)} (an article has one section)")
            )
        if section is None:  # WordPress files such posts under its default category
            decision = self._decision("category", "uncategorized", "Uncategorized")
            section = (
                decision.target if decision.kind == "section" else self.vocabulary.section("Uncategorized")
            )
        return section, minerals, countries

    def _credit(self, login):
        if login not in self.credited:
            known = self.authors.get(login) or wxr.Author(login=login)
            full_name = " ".join(filter(None, [known.first_name, known.last_name]))
            # WordPress shows the login when nobody chose a display name; a real name reads better.
            name = known.display_name if known.display_name not in ("", login) else full_name or login
            author, how = terms.author_for(
                login=login, display_name=name, term_map=self.term_map, site=self.site_key
            )
            self.credited[login] = author
            self.report.author_outcomes[login] = how
            self.report.author_names[login] = author.name if author is not None else ""
        return self.credited[login]

    def _hero(self, item):
        """(Attachment, its file or None, why not) for the post's featured image, or (None, None, "")."""
        thumbnail = item.meta_value("_thumbnail_id").strip()
        if not thumbnail.isdigit() or int(thumbnail) == 0:
            return None, None, ""
        attachment = self.attachments.get(int(thumbnail))
        if attachment is None:
            return None, None, f"featured image {thumbnail} is not in the export"
        if not self.uploads_given:
            return attachment, None, "no --uploads folder given"
        path = self.uploads.find(attachment.relative)
        return attachment, path, "" if path else "not in the uploads folder"

    def _write_post(self, item, title):
        report = self.report
        site = self.site_key
        record = ImportedPost.objects.filter(site=site, wp_id=item.id).select_related("article").first()
        section, minerals, countries = self._subjects(item, title)
        author = self._credit(item.creator) if item.creator else None
        attachment, hero_path, hero_missing = self._hero(item)
        published_at = date_of(item.post_date_gmt, item.post_date)
        status = STATUSES[item.status]
        if item.password and status == Article.Status.PUBLISHED:
            # Readers needed a password on WordPress: an editor decides whether it goes out here.
            status = Article.Status.DRAFT
            self.report.notes.append((title, "password-protected on WordPress: imported as a draft"))
        digest = hashlib.sha256(
            json.dumps(
                [
                    item.title,
                    item.post_name,
                    item.content,
                    item.excerpt,
                    item.status,
                    bool(item.password),
                    str(published_at),
                    item.comment_status,
                    item.is_sticky,
                    section.pk,
                    author.pk if author else None,
                    sorted(m.pk for m in minerals),
                    sorted(c.pk for c in countries),
                    attachment and [attachment.relative, attachment.alt, attachment.caption],
                    bool(hero_path),
                ],
                default=str,
            ).encode()
        ).hexdigest()
        if record is not None and record.digest == digest:
            article = record.article
            outcome = "unchanged"
            self._report_findings(title, record.findings)
        else:
            self.findings = {"hero": 0, "body": 0, "missing": [], "shortcodes": []}
            article = record.article if record is not None else Article()
            self._fill(article, item, title, status, published_at, section)
            hero_source = self._fill_hero(article, item, title, record, attachment, hero_path, hero_missing)

            def save_related():
                # Each relation that changes re-indexes the article: a new one's empty ones are left alone.
                for relation, values in (
                    (article.authors, [author] if author else []),
                    (article.minerals, minerals),
                    (article.countries, countries),
                ):
                    if values or record is not None:
                        relation.set(values)

            verb = "Updated from" if record is not None else "Imported from"
            article_save(
                article=article, save_related=save_related, reason=f"{verb} WordPress post {item.id}"
            )
            if record is None and published_at is not None:
                Article.objects.filter(pk=article.pk).update(created_at=min(published_at, timezone.now()))
            outcome = "updated" if record is not None else "imported"
            record = record or ImportedPost(site=site, wp_id=item.id, article=article)
            record.digest, record.hero_source, record.findings = digest, hero_source, self.findings
            record.save()
            self._report_findings(title, self.findings)
            self.report.redirects.update(
                addresses.record_post(
                    site_url=self.site.url, site_key=self.site_key, item=item, article=article
                )
            )
        discussion.import_comments(
            article=article, item=item, site=site, report=report, date_of=date_of, title=title
        )
        if item.status == "future" and published_at is not None and published_at <= timezone.now():
            report.notes.append((title, "scheduled for a time already past: published"))
        return outcome

    def _fill(self, article, item, title, status, published_at, section):
        report = self.report
        article.title = title
        if article.pk is None:
            base = slugs.slugify(unquote(item.post_name) or title, max_length=200) or f"post-{item.id}"
            article.slug = _free_slug(base, item.id)
        article.dek, cut = bodies.one_line(item.excerpt, 300)
        if cut:
            report.notes.append((title, "the excerpt was cut to the standfirst's 300 characters"))
        body, shortcodes = bodies.convert(item.content)
        body, imported, missing = pictures.repoint_body(body, self.uploads, dry_run=self.dry_run)
        self.findings["shortcodes"] = shortcodes
        self.findings["body"] = imported
        self.findings["missing"] += [
            (url, why if self.uploads_given else "no --uploads folder given") for url, why in missing
        ]
        article.body = body
        article.section = section
        article.status = status
        article.publish_at = published_at or timezone.now()
        article.allow_comments = item.comment_status != "closed"
        article.is_featured = item.is_sticky

    def _fill_hero(self, article, item, title, record, attachment, hero_path, hero_missing):
        if attachment is None and not hero_missing:
            return ""
        if hero_path is None:
            self.findings["missing"].append((attachment.url if attachment else "", hero_missing))
            return ""
        article.hero_alt = attachment.alt
        article.hero_caption = attachment.caption
        if record is not None and record.hero_source == attachment.relative and article.hero_image:
            self.findings["hero"] = 1
            return attachment.relative
        try:
            pictures.check(hero_path)
        except pictures.Refused as error:
            self.findings["missing"].append((attachment.url, str(error)))
            return ""
        if not self.dry_run:
            pictures.attach_hero(article, hero_path)
        self.findings["hero"] = 1
        return attachment.relative

    def _report_findings(self, title, findings):
        report = self.report
        report.pictures["hero photos"] += findings.get("hero", 0)
        report.pictures["body images"] += findings.get("body", 0)
        report.missing_pictures += [(title, url, why) for url, why in findings.get("missing", [])]
        for name in findings.get("shortcodes", []):
            report.shortcodes[name].append(title)


def _free_slug(base, post_id):
    """`base`, or `base` with the post id when another article has the address already."""
    if not Article.objects.filter(slug=base).exists():
        return base
    suffix = f"-{post_id}"
    return base[: 200 - len(suffix)] + suffix
