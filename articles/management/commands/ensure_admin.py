"""Create the local admin account once and say how to log in (used by `make run`); give the demo's
staff accounts (seed_demo's editor and writer) passwords the same way, so each group can be tried."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from articles.demo.content import USERS as DEMO_STAFF

PASSWORD_FILE = settings.BASE_DIR / ".local" / "admin-password"


class Command(BaseCommand):
    help = "Create a superuser 'admin' (in the Editors group) if none exists, and print how to log in."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--base-url", default=settings.SITE_URL, help="Where the site is served.")

    def handle(self, *args, username, base_url, **options):
        if not settings.DEBUG:
            raise CommandError(
                "ensure_admin is for local development (DJANGO_DEBUG=1); use createsuperuser in production."
            )
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            user = User.objects.create_superuser(
                username=username, email="admin@localhost", password=password
            )
            PASSWORD_FILE.parent.mkdir(parents=True, exist_ok=True)
            PASSWORD_FILE.write_text(password + "\n")
            PASSWORD_FILE.chmod(0o600)
        elif PASSWORD_FILE.exists():
            password = PASSWORD_FILE.read_text().strip()
        else:
            password = None
        user.groups.add(Group.objects.get(name="Editors"))
        admin_url = f"{base_url.rstrip('/')}/{settings.ADMIN_PATH}"
        self._say("Admin", admin_url, user, password)
        for item in DEMO_STAFF:
            self._demo_staff(User, item, admin_url)

    def _say(self, label, admin_url, user, password):
        username = user.get_username()
        if password and user.check_password(password):
            self.stdout.write(f"{label}: log in at {admin_url} as '{username}' with password '{password}'.")
        else:
            self.stdout.write(
                f"{label}: log in at {admin_url} as '{username}' "
                f"(password changed since it was made; reset with: manage.py changepassword {username})."
            )

    def _demo_staff(self, User, item, admin_url):
        """A demo account seed_demo made without a password gets one, kept beside the admin's."""
        user = User.objects.filter(username=item["username"]).first()
        if user is None:
            return  # seed_demo has not run
        path = PASSWORD_FILE.with_name(f"{item['username']}-password")
        if not user.has_usable_password():
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save(update_fields=["password"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(password + "\n")
            path.chmod(0o600)
        else:
            password = path.read_text().strip() if path.exists() else None
        self._say(f"{item['group']} demo", admin_url, user, password)
