from partners.management.commands.merge_organisations import Command as MergeCommand
from partners.merging import merge_people
from partners.models import Person


class Command(MergeCommand):
    help = (
        "Merge person OTHER_ID into KEEP_ID: their meetings and other relations move to the "
        "kept one, and the other is deleted, in one transaction."
    )
    model = Person
    merge = staticmethod(merge_people)
