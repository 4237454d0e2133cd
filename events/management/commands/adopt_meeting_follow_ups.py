from django.core.management.base import BaseCommand

from events.follow_ups.legacy import adopt_meeting_follow_ups


class Command(BaseCommand):
    help = (
        "Make a follow-up task of each meeting's follow-up column that has none yet (after "
        "loading the fixtures or importing meeting logs). Safe to run again and again."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{adopt_meeting_follow_ups()} follow-up(s) created from meetings")
