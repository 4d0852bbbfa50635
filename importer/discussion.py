"""A post's WordPress comments as reader comments, through the comments app's own service.

Each comment is stored by comments.services.comment_create, with the state WordPress gave it
rather than the one moderation would (1 → approved, 0 → awaiting moderation, spam → spam,
trash → removed), its reply threading, its date and its likes (wpDiscuz keeps votes in comment
meta). Emails are stored as every comment's are, never shown. Pingbacks and trackbacks are
counted and skipped; so are comments repeating the same words from the same address on the same
article, which the comments app keeps once (a reply to one is threaded under the one kept).
A second run changes only what changed (state, words, likes), through the same service.
"""

import hashlib
import json
import re

from django.db import DatabaseError, transaction

from comments.models import Comment, body_digest
from comments.services import DuplicateComment, comment_create, comments_moderate
from importer.bodies import plain_text
from importer.models import ImportedComment

STATES = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.REMOVED,
    "post-trashed": Comment.Status.REMOVED,
}
_LIKES = re.compile(r's:4:"like";i:(\d+);')


class _AsExported:
    """A moderator that keeps the state the comment had on WordPress."""

    def __init__(self, status):
        self.status = status

    def status_for(self, comment):
        return self.status


def likes(meta):
    """Likes a comment received, from wpDiscuz's votes (its separate like count, else the net score)."""
    if found := _LIKES.search(meta.get("wpdiscuz_votes_seperate", "")):
        return int(found.group(1))
    try:
        return max(0, int(meta.get("wpdiscuz_votes", "0") or 0))
    except ValueError:
        return 0


def _threaded(comments):
    """Comments ordered so each comes after the one it replies to."""
    by_id = {comment.id: comment for comment in comments}

    def depth(comment):
        seen, level = set(), 0
        while comment.parent in by_id and comment.parent not in seen:
            seen.add(comment.parent)
            comment, level = by_id[comment.parent], level + 1
        return level

    return sorted(comments, key=lambda comment: (depth(comment), comment.id))


def import_comments(*, article, item, site, report, date_of, title):
    """Store `item`'s comments on `article`; counts and failures go to `report`."""
    known = {
        row.wp_id: row
        for row in ImportedComment.objects.filter(site=site, comment__article=article).select_related(
            "comment"
        )
    }
    stored = {wp_id: row.comment_id for wp_id, row in known.items()}
    # Dates, likes and the import's own records of new comments, written together after the loop.
    later = {"dated": [], "records": []}
    for wp in _threaded(item.comments):
        if wp.type in ("pingback", "trackback"):
            report.comments_skipped[f"{wp.type}s"] += 1
            continue
        if wp.type not in ("", "comment"):
            report.comments_skipped[f"of type {wp.type}"] += 1
            continue
        status = STATES.get(wp.approved)
        text = plain_text(wp.content)
        if status is None or not text:
            report.comments_skipped["empty" if status else f"in state {wp.approved or 'none'}"] += 1
            continue
        parent_id = stored.get(wp.parent) if wp.parent else None
        if wp.parent and parent_id is None:
            report.notes.append(
                (
                    title,
                    f"comment {wp.id} answers comment {wp.parent}, which is not imported: kept unthreaded",
                )
            )
        fields = {
            "parent": parent_id,
            "author_name": (plain_text(wp.author) or "Anonymous")[:80],
            "author_email": wp.author_email[:254],
            "author_url": wp.author_url if len(wp.author_url) <= 300 else "",
            "body_text": text,
        }
        created_at = date_of(wp.date_gmt, wp.date)
        like_count = likes(wp.meta)
        digest = hashlib.sha256(
            json.dumps([fields, status, str(created_at), like_count], sort_keys=True).encode()
        ).hexdigest()
        try:
            stored[wp.id] = _store(
                article=article,
                wp=wp,
                site=site,
                known=known.get(wp.id),
                fields=fields,
                status=status,
                created_at=created_at,
                like_count=like_count,
                digest=digest,
                report=report,
                later=later,
            )
        except DuplicateComment:
            report.comments_skipped["repeating an earlier comment's words"] += 1
            same = Comment.objects.filter(
                article=article, author_email=fields["author_email"], body_hash=body_digest(text)
            )
            stored[wp.id] = same.values_list("pk", flat=True).first()
            continue
        except (DatabaseError, ValueError) as error:
            what = f"comment {wp.id} by {fields['author_name']} on “{title}”"
            if status == Comment.Status.APPROVED:
                report.fail(what, str(error).splitlines()[0])
            else:
                report.notes.append((title, f"{what} not imported: {str(error).splitlines()[0]}"))
            continue
        report.comments[status] += 1
    Comment.objects.bulk_update(later["dated"], ["created_at", "like_count"], batch_size=500)
    ImportedComment.objects.bulk_create(later["records"], batch_size=500)


def _store(*, article, wp, site, known, fields, status, created_at, like_count, digest, report, later):
    if known is not None:
        if known.digest == digest:
            report.comment_changes["unchanged"] += 1
            return known.comment_id
        with transaction.atomic():
            comments_moderate(comments=Comment.objects.filter(pk=known.comment_id), status=status)
            comment = known.comment
            comment.body_text = fields["body_text"]
            comment.author_name = fields["author_name"]
            comment.save(update_fields=["body_text", "author_name"])
            Comment.objects.filter(pk=comment.pk).update(like_count=like_count)
            ImportedComment.objects.filter(pk=known.pk).update(digest=digest)
        report.comment_changes["updated"] += 1
        return comment.pk
    comment = comment_create(
        article=article,
        data=fields | {"parent": Comment(pk=fields["parent"]) if fields["parent"] else None},
        ip=wp.author_ip,
        user_agent="",
        moderator=_AsExported(status),
    )
    comment.like_count = like_count
    comment.created_at = created_at or comment.created_at
    later["dated"].append(comment)
    later["records"].append(ImportedComment(site=site, wp_id=wp.id, comment=comment, digest=digest))
    report.comment_changes["created"] += 1
    return comment.pk
