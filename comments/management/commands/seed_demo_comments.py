"""Add a short demo discussion to three demo articles (run after seed_demo; safe to run again)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Article
from comments.models import Comment

# (key, parent key, name, email, website, text, moderator) — readers' addresses use the reserved example.org.
THREADS = {
    "magnet-export-licences-slow-shipments": [
        (
            "a",
            None,
            "Hanna K.",
            "hanna@example.org",
            "",
            "We buy sintered magnets for small motors. Lead times went from six weeks to eleven since the "
            "summer; this matches what our distributor tells us.",
            False,
        ),
        (
            "b",
            "a",
            "Rafael Ortiz",
            "rafael@example.org",
            "https://example.org/rafael",
            "Same here. Is anyone qualifying a second supplier "
            "outside the region, or is that still a two-year job?",
            False,
        ),
        (
            "c",
            "b",
            "Desk",
            "",
            "",
            "Thanks both. We are collecting lead-time figures from buyers for a follow-up; the "
            "address on our source register page reaches the desk.",
            True,
        ),
        (
            "d",
            None,
            "M. Tanaka",
            "tanaka@example.org",
            "",
            "The state agency’s figure for approved licences has no date range. Until that is published the "
            "‘most applications approved’ line cannot be checked.",
            False,
        ),
    ],
    "rare-earth-export-controls-suspension-nears-end": [
        (
            "a",
            None,
            "J. Whitcombe",
            "whitcombe@example.org",
            "",
            "Does the end of the suspension bring back the April licences too, or were those never paused? "
            "Our customs broker gives a different answer each week.",
            False,
        ),
        (
            "b",
            "a",
            "Desk",
            "",
            "",
            "They were never paused. Announcement No. 70 names only the six October announcements; the "
            "April licensing of seven rare earths has applied throughout. The table in the article lists "
            "what the suspension covers.",
            True,
        ),
    ],
    "lithium-carbonate-holds-floor-chile": [
        (
            "a",
            None,
            "Sofía Herrera",
            "sofia@example.org",
            "",
            "Brine output rising while prices hold says more about converter stocks than about demand.",
            False,
        ),
    ],
}


class Command(BaseCommand):
    help = "Add demo reader comments (with threaded replies and moderator replies) to three demo articles."

    @transaction.atomic
    def handle(self, *args, **options):
        moderator = get_user_model().objects.filter(is_staff=True).order_by("-is_superuser", "pk").first()
        created = present = 0
        for slug, thread in THREADS.items():
            article = Article.objects.filter(slug=slug).first()
            if article is None:
                raise CommandError(f"Demo article {slug!r} is missing: run `manage.py seed_demo` first.")
            stored = {}
            for key, parent_key, name, email, website, text, by_staff in thread:
                existing = Comment.objects.filter(article=article, body_text=text).first()
                if existing is not None:
                    stored[key] = existing
                    present += 1
                    continue
                stored[key] = Comment.objects.create(
                    article=article,
                    parent=stored.get(parent_key),
                    author_name=name,
                    author_email=email,
                    author_url=website,
                    body_text=text,
                    status=Comment.Status.APPROVED,
                    user=moderator if by_staff else None,
                )
                created += 1
        self.stdout.write(f"Demo comments: created {created}; {present} already present.")
