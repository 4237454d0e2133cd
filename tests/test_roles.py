"""The four roles exist, with the same permissions, however the database came to be."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from core.roles import ADMINISTRATOR, EDITOR, IMPORTER, VIEWER

ROLES = {VIEWER, EDITOR, IMPORTER, ADMINISTRATOR}


def roles():
    return {
        group.name: set(group.permissions.values_list("content_type__app_label", "codename"))
        for group in Group.objects.prefetch_related("permissions")
    }


@pytest.mark.django_db
def test_a_freshly_migrated_database_has_the_four_roles():
    found = roles()
    assert set(found) == ROLES
    assert ("partners", "view_organisation") in found[VIEWER]
    assert ("events", "import_meeting") in found[IMPORTER]
    assert ("events", "import_meeting") not in found[EDITOR]
    assert ("partners", "change_report") in found[ADMINISTRATOR]
    assert ("partners", "change_report") not in found[EDITOR]


@pytest.mark.django_db(transaction=True)
def test_an_upgraded_and_a_flushed_database_get_the_same_roles_back():
    fresh = roles()
    # An upgraded database: its role migrations ran long ago (they are no-ops now) and its
    # groups may be stale; the next `migrate` brings them in line.
    Group.objects.get(name=EDITOR).permissions.clear()
    Group.objects.filter(name=VIEWER).delete()
    call_command("migrate", verbosity=0)
    assert roles() == fresh
    call_command("flush", interactive=False, verbosity=0)
    assert roles() == fresh
