from django.core.management.base import BaseCommand

from core.backup import write_backup


class Command(BaseCommand):
    help = (
        "Write every record, the audit history and the users to one JSON file, restorable "
        "with `manage.py restore` whatever has been deleted, merged or undone."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write the backup (.json)")

    def handle(self, *args, file, **options):
        with open(file, "w", encoding="utf-8") as stream:
            write_backup(stream)
        self.stdout.write(f"Backed up to {file}.")
