import secrets
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, call_command

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = (
        "Prepare a local development database: load the report fixtures if it has none, and make "
        "sure a local admin account exists (its generated password is printed once, at creation)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        # By label, not by import: the kernel imports no domain app.
        if apps.get_model("partners", "Report").objects.exists():
            self.stdout.write("Report fixtures already loaded; leaving the data as it is.")
        else:
            call_command("loaddata", *sorted(str(p) for p in FIXTURES_DIR.glob("*.json")))

        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"Admin account “{username}” exists (its password was printed when it was "
                f"created; to set a new one: python manage.py changepassword {username})."
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                "\nCreated the local admin account — this password is shown only once:\n"
                f"    username: {username}\n    password: {password}\n"
            )
        )
