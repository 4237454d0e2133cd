from django.core.management.base import BaseCommand, CommandError

from partners.merging import MergeError, describe, merge_organisations
from partners.models import Organisation


class Command(BaseCommand):
    help = (
        "Merge organisation OTHER_ID into KEEP_ID: every relation of the other moves to the "
        "kept one, its name and aliases become aliases, and it is deleted, in one transaction."
    )
    model = Organisation
    merge = staticmethod(merge_organisations)

    def add_arguments(self, parser):
        parser.add_argument("keep_id", type=int, help="Id of the record to keep.")
        parser.add_argument("other_id", type=int, help="Id of the record merged into it.")

    def handle(self, *args, keep_id, other_id, **options):
        records = self.model.objects.in_bulk([keep_id, other_id])
        missing = [str(pk) for pk in (keep_id, other_id) if pk not in records]
        if missing:
            raise CommandError(
                f"No {self.model._meta.verbose_name} with id {', '.join(missing)}; nothing merged."
            )
        try:
            outcome = self.merge(records[keep_id], records[other_id])
        except MergeError as error:
            raise CommandError(f"{error} Nothing merged.") from error
        for line in describe(outcome):
            self.stdout.write(line)
