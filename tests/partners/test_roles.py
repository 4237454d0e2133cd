"""The four roles exist after migrating and carry what their names promise."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_viewer_reads_and_exports_but_changes_nothing(make_user):
    viewer = make_user("Viewer")
    assert viewer.has_perms(["partners.view_organisation", "events.view_meeting"])
    assert viewer.has_perm("partners.export_organisation")
    assert not viewer.has_perm("partners.change_organisation")
    assert not viewer.has_perm("events.import_meeting")


def test_an_editor_adds_and_changes_but_does_not_delete(make_user):
    editor = make_user("Editor")
    assert editor.has_perms(["events.add_meeting", "projects.change_project"])
    assert not editor.has_perm("partners.delete_organisation")
    assert not editor.has_perm("partners.change_report")
    assert not editor.has_perm("auth.change_user")


def test_an_importer_is_a_viewer_who_may_import_meeting_logs(make_user):
    importer = make_user("Importer")
    assert importer.has_perms(["events.import_meeting", "events.view_meeting"])
    assert not importer.has_perm("events.change_meeting")


def test_an_administrator_may_do_everything_including_managing_users(make_user):
    administrator = make_user("Administrator")
    assert administrator.has_perms(
        ["partners.delete_organisation", "auth.change_user", "auth.add_group"]
    )


def test_every_role_may_view_import_records(make_user):
    for role in ["Viewer", "Editor", "Importer", "Administrator"]:
        assert make_user(role, username=role).has_perm("events.view_importrecord")


def test_only_administrators_may_undo_an_import(make_user):
    assert make_user("Administrator").has_perm("events.undo_importrecord")
    for role in ["Viewer", "Editor", "Importer"]:
        assert not make_user(role, username=role).has_perm("events.undo_importrecord")


def test_nobody_but_administrators_may_add_or_change_import_records(make_user):
    editor = make_user("Editor")
    assert not editor.has_perm("events.add_importrecord")
    assert not editor.has_perm("events.change_importrecord")


def test_viewers_read_follow_ups_and_editors_add_and_change_them(make_user):
    viewer, editor = make_user("Viewer"), make_user("Editor")
    assert viewer.has_perm("events.view_followup")
    assert not viewer.has_perm("events.change_followup")
    assert editor.has_perms(["events.add_followup", "events.change_followup"])
    assert not editor.has_perm("events.delete_followup")


def test_only_administrators_change_follow_up_settings_and_saved_views_in_the_admin(make_user):
    editor, administrator = make_user("Editor"), make_user("Administrator")
    assert not editor.has_perm("events.change_subscriber")
    assert not editor.has_perm("core.change_savedview")
    assert administrator.has_perms(["events.change_subscriber", "core.change_savedview"])
