"""The report of an import: every count and every list a desk needs to see that nothing was lost.

It is printed by the command and kept, as text and figures, in an ImportRun row the admin shows
(a dry run keeps none, since it writes nothing). `failures` are what make the command exit
non-zero: a published post or an approved comment that could not be imported.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

LIST_LIMIT = 50  # entries shown per list; the count above a list is always complete


@dataclass
class Report:
    posts_found: int = 0
    posts: Counter = field(default_factory=Counter)  # imported, updated, unchanged, failed
    skipped: Counter = field(default_factory=Counter)  # reason: count
    pages: list = field(default_factory=list)  # (id, title, link)
    comments: Counter = field(default_factory=Counter)  # state: count
    comments_skipped: Counter = field(default_factory=Counter)
    comment_changes: Counter = field(default_factory=Counter)  # created, updated, unchanged
    author_outcomes: dict = field(default_factory=dict)  # login: created, found, renamed or merged, dropped
    author_names: dict = field(default_factory=dict)  # login: the author credited
    pictures: Counter = field(default_factory=Counter)
    missing_pictures: list = field(default_factory=list)  # (article title, address, why)
    term_outcomes: dict = field(default_factory=dict)  # (kind, name): map, match or category
    mapped_terms: dict = field(default_factory=dict)  # (kind, name): "→ mineral Neodymium (alias)"
    unmatched: Counter = field(default_factory=Counter)  # (kind, name): posts carrying it
    shortcodes: dict = field(default_factory=lambda: defaultdict(list))  # name: [post titles]
    redirects: Counter = field(default_factory=Counter)
    notes: list = field(default_factory=list)  # (post title, what was changed or left)
    failures: list = field(default_factory=list)  # (what, why)
    attachments_unused: int = 0

    @property
    def authors(self):
        return Counter(self.author_outcomes.values())

    @property
    def terms(self):
        return Counter(self.term_outcomes.values())

    def fail(self, what, why):
        self.failures.append((what, why))

    @property
    def complete(self):
        return not self.failures

    def figures(self):
        """The counts, as JSON for the kept run."""
        return {
            "posts_found": self.posts_found,
            "posts": dict(self.posts),
            "skipped": dict(self.skipped),
            "pages": len(self.pages),
            "comments": dict(self.comments),
            "comments_skipped": dict(self.comments_skipped),
            "comment_changes": dict(self.comment_changes),
            "authors": dict(self.authors),
            "pictures": dict(self.pictures),
            "pictures_missing": len(self.missing_pictures),
            "terms": dict(self.terms),
            "terms_unmatched": len(self.unmatched),
            "shortcodes": {name: len(posts) for name, posts in self.shortcodes.items()},
            "redirects": dict(self.redirects),
            "failures": len(self.failures),
        }

    def render(self, *, dry_run=False, limit=LIST_LIMIT):
        """The report as text; lists are cut at `limit` entries (None: whole, as the kept copy is)."""
        lines = []

        def listed(entries):
            return _listed(entries, limit)

        add = lines.append
        if dry_run:
            add("DRY RUN: nothing was written. This is what an import would do.")
        add(
            f"Posts: {self.posts_found} found; "
            + _counts(self.posts, ("imported", "updated", "unchanged", "failed"))
        )
        if self.skipped:
            add(
                "  Skipped: "
                + ", ".join(f"{reason} {count}" for reason, count in sorted(self.skipped.items()))
            )
        if self.pages:
            add(f"  Pages: {len(self.pages)} counted, not imported (newsroom has articles, not pages):")
            lines += listed(f"    {title} ({link})" for _, title, link in self.pages)
        add(f"Attachments used by nothing: {self.attachments_unused} (skipped)")
        add("Comments: " + (_counts(self.comments, ("approved", "pending", "spam", "removed")) or "none"))
        if self.comment_changes:
            add("  This run: " + _counts(self.comment_changes, ("created", "updated", "unchanged")))
        if self.comments_skipped:
            add("  Skipped: " + ", ".join(f"{why} {n}" for why, n in sorted(self.comments_skipped.items())))
        add(
            "Authors: "
            + (_counts(self.authors, ("created", "found", "renamed or merged", "dropped")) or "none")
        )
        lines += listed(
            f"  {login} → {self.author_names.get(login) or 'no byline'} ({how})"
            for login, how in sorted(self.author_outcomes.items())
        )
        add(
            "Pictures: "
            + (_counts(self.pictures, ("hero photos", "body images")) or "none")
            + f"; {len(self.missing_pictures)} missing"
        )
        lines += listed(f"  {title}: {url} ({why})" for title, url, why in self.missing_pictures)
        add(
            "Terms: "
            + (_counts(self.terms, ("map", "match", "category")) or "none")
            + f"; {len(self.unmatched)} unmatched"
        )
        lines += listed(f"  {kind} “{name}” {how}" for (kind, name), how in sorted(self.mapped_terms.items()))
        if self.unmatched:
            add("  Unmatched (left off the articles; map them with --map):")
            lines += listed(
                f"    {kind} “{name}” on {count} post{'s' * (count != 1)}"
                for (kind, name), count in self.unmatched.most_common()
            )
        if self.shortcodes:
            add("Shortcodes left as text:")
            lines += listed(
                f"  [{name}] in {len(posts)} post{'s' * (len(posts) != 1)}, e.g. “{posts[0]}”"
                for name, posts in sorted(self.shortcodes.items())
            )
        add(
            "Redirects: "
            + (_counts(self.redirects, ("permalinks", "?p=", "old slugs", "archives")) or "none")
        )
        if self.notes:
            add("Notes:")
            lines += listed(f"  {title}: {note}" for title, note in self.notes)
        if self.failures:
            add(f"NOT IMPORTED ({len(self.failures)}):")
            lines += _listed((f"  {what}: {why}" for what, why in self.failures), None)
        return "\n".join(lines)


def _counts(counter, order):
    names = [*order, *sorted(set(counter) - set(order))]
    return ", ".join(f"{counter[name]} {name}" for name in names if counter[name])


def _listed(entries, limit=LIST_LIMIT):
    entries = list(entries)
    if limit is None or len(entries) <= limit:
        return entries
    return [
        *entries[:limit],
        f"    … and {len(entries) - limit} more (the whole list is in the run kept in the admin)",
    ]
