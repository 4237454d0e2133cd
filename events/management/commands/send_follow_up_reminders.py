from django.core.management.base import BaseCommand

from events.follow_ups.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "E-mail each owner their open follow-ups that are overdue or due this week. "
        "Safe to run from cron every day: nobody gets two reminders on one day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="",
            help="The CRM's address, for the links in the e-mail (e.g. https://crm.example.org).",
        )

    def handle(self, *args, base_url, **options):
        reminded = send_reminders(base_url=base_url.rstrip("/"))
        self.stdout.write(f"{len(reminded)} reminder(s) sent")
