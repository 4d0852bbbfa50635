"""`manage.py health`: the worker's health for monitoring and for a person at a terminal. Exits 1
when something needs a person (the same rule as the health URL's 503), 0 otherwise."""

import json as json_module

from django.core.management.base import BaseCommand, CommandError

from newsletter import monitoring, schedule


class Command(BaseCommand):
    help = (
        "Report when the schedule last ran, failed background jobs and stuck mail; exit 1 when something "
        "needs a person. --json prints what the health URL serves."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")
        parser.add_argument(
            "--failed",
            type=int,
            default=5,
            metavar="N",
            help="List the N most recent failed jobs (default 5; 0 for none).",
        )

    def handle(self, *args, json=False, failed=5, **options):
        report = schedule.worker_health()
        if json:
            self.stdout.write(_dumps(report))
        else:
            self.stdout.write(f"Schedule last ran: {report['schedule_last_ran'] or 'never'}")
            count = report["failed_tasks"]
            self.stdout.write(
                f"Failed background jobs: {'unknown (queue unreachable)' if count is None else count}"
            )
            self.stdout.write(
                f"Confirmation and welcome mails not sent: {report['subscriber_mails_not_sent']}"
            )
            self.stdout.write(f"Signups waiting for a worker: {report['signups_waiting']}")
            self.stdout.write(
                f"Daily updates stuck or waiting for the mail server: {report['daily_updates_stuck']}"
            )
            for job in monitoring.failed_jobs(limit=failed) if failed > 0 else []:
                when = f"{job.failed_at:%Y-%m-%d %H:%M:%S}" if job.failed_at else "?"
                self.stdout.write(f"  {when}  {job.task}: {job.error}")
            self.stdout.write("OK" if report["ok"] else "NEEDS ATTENTION")
        if not report["ok"]:
            raise CommandError("The worker needs attention.", returncode=1)


def _dumps(report):
    return json_module.dumps(report, sort_keys=True)
