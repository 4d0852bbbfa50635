"""Print the one-time link with which a staff account sets up its first second factor (core.enrolment).
Whoever can run this is an administrator: the link is the proof a password alone cannot give."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.enrolment import invitation_url


class Command(BaseCommand):
    help = "Print a one-time invitation link for a staff account to set up its second factor."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not user.is_active or not user.is_staff:
            raise CommandError(f"No active staff account is named {username!r}.")
        self.stdout.write(invitation_url(user))
