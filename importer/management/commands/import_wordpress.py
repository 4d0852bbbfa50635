"""manage.py import_wordpress EXPORT.xml [--uploads DIR] [--map FILE] [--dry-run]"""

import os

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.wxr import WXRError
from importer.models import ImportRun
from importer.terms import MapError, TermMap
from importer.wordpress import WordPressImport


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export) into newsroom: posts as articles, their comments, "
        "authors, categories and tags, pictures from a copy of wp-content/uploads, and the old addresses. "
        "Run it again with a newer export to bring in what changed; nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The .xml file WordPress's Tools → Export wrote.")
        parser.add_argument(
            "--uploads", metavar="DIR", help="A copy of the site's wp-content/uploads folder."
        )
        parser.add_argument(
            "--map",
            metavar="FILE",
            help="A CSV of kind,term,target_kind,target rows (see docs/moving-in.md).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be done; write nothing."
        )

    def handle(self, *args, export, uploads, map, dry_run, **options):
        started_at = timezone.now()
        try:
            term_map = TermMap.read(map) if map else None
            if uploads is not None and not os.path.isdir(uploads):
                raise CommandError(f"{uploads}: is not a folder (give a copy of wp-content/uploads).")
            importer = WordPressImport(export, uploads=uploads, term_map=term_map, dry_run=dry_run)
            report = importer.run()
        except (WXRError, MapError) as error:
            raise CommandError(f"{error} Nothing was imported.") from None
        self.stdout.write(report.render(dry_run=dry_run))
        if not dry_run:
            ImportRun.objects.create(
                started_at=started_at,
                export_file=str(export)[:500],
                site=importer.site_key,
                complete=report.complete,
                figures=report.figures(),
                report=report.render(limit=None),
            )
        if not report.complete:
            raise CommandError(
                f"{len(report.failures)} published post(s) or approved comment(s) could not be imported; "
                "see NOT IMPORTED above."
            )
