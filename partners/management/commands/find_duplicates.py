from django.core.management.base import BaseCommand

from partners.duplicates import organisation_candidates, person_candidates


class Command(BaseCommand):
    help = (
        "List possible duplicate organisations (or people), one pair a line, best first: "
        "score, the two records with their ids, and why they were proposed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--people", action="store_true", help="List people instead of organisations."
        )

    def handle(self, *args, people=False, **options):
        candidates = person_candidates() if people else organisation_candidates()
        for candidate in candidates:
            self.stdout.write(str(candidate))
