from django.core.management.base import BaseCommand, CommandError

from core.backup import NotEmpty, restore_backup


class Command(BaseCommand):
    help = "Load a `manage.py backup` file into a freshly migrated, empty database."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a file written by `manage.py backup`")

    def handle(self, *args, file, **options):
        try:
            restore_backup(file)
        except FileNotFoundError:
            raise CommandError(f"No such file: {file}") from None
        except ValueError as error:
            message = f"{file} is not a backup written by manage.py backup: {error}"
            raise CommandError(message) from None
        except NotEmpty:
            raise CommandError(
                "This database already holds records or users: restore only into a new, "
                "migrated database (manage.py migrate), so that nothing is overwritten."
            ) from None
        self.stdout.write(f"Restored {file}.")
