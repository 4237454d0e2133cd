"""Merging two organisations (or people) into one: every relation moves, every count stays
right, uniqueness rules are resolved explicitly, history records it, all or nothing."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from events.follow_ups.models import FollowUp
from events.models import EventSeries, Meeting, Participation
from partners.merging import (
    MergeError,
    merge_organisations,
    merge_people,
    preview_organisations,
    relations_of,
)
from partners.models import (
    DistinctOrganisations,
    Membership,
    Organisation,
    OrganisationAlias,
    OrganisationFigure,
    Person,
    Report,
)
from tests.factories import (
    make_consortium_member,
    make_event,
    make_meeting,
    make_organisation,
    make_partnership,
    make_person,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2022, 6, 14)


def relation_counts(record):
    return {
        label: model._base_manager.filter(**{fk: record.pk}).count()
        for label, model, fk in relations_of(type(record))
    }


def give_every_relation(organisation, tag):
    """One row in each relation an organisation can have."""
    make_organisation(f"{tag} lab", parent=organisation)
    OrganisationAlias.objects.create(organisation=organisation, name=f"{tag} alias")
    Membership.objects.create(network=make_organisation(f"{tag} network"), member=organisation)
    Membership.objects.create(network=organisation, member=make_organisation(f"{tag} member"))
    make_person(organisation)
    make_partnership(organisation)
    OrganisationFigure.objects.create(
        organisation=organisation, metric=OrganisationFigure.Metric.MEMBERS, label=tag, value=40
    )
    DistinctOrganisations.objects.create(first=organisation, second=make_organisation(f"{tag} a"))
    DistinctOrganisations.objects.create(first=make_organisation(f"{tag} b"), second=organisation)
    EventSeries.objects.create(name=f"{tag} series", organiser=organisation)
    make_event(f"{tag} forum", organiser=organisation)
    make_event(f"{tag} summit", host=organisation)
    participation = Participation.objects.create(
        event=make_event(f"{tag} fair"), role=Participation.Role.EXHIBITOR
    )
    participation.co_participants.add(organisation)
    participation.accompanied_companies.add(organisation)
    make_meeting(organisation, event=make_event(f"{tag} convention"))
    make_meeting(make_organisation(f"{tag} host")).accompanied_companies.add(organisation)
    make_consortium_member(organisation=organisation)
    organisation.sources.add(Report.objects.create(file_name=f"{tag}.pdf", year=2022))
    FollowUp.objects.create(organisation=organisation, what=f"{tag} follow-up")


def test_the_merge_test_gives_the_other_a_row_in_every_relation():
    # A relation added to the models later is empty here until this test builds it, and
    # this test fails until then: so the merge of every relation stays tested.
    other = make_organisation("New sciences LLC")
    give_every_relation(other, "other")
    assert [label for label, count in relation_counts(other).items() if count == 0] == []


def test_a_merge_moves_every_relation_and_keeps_every_count():
    keep = make_organisation("New Science LLC")
    other = make_organisation("New sciences LLC")
    give_every_relation(keep, "keep")
    give_every_relation(other, "other")
    before_keep, before_other = relation_counts(keep), relation_counts(other)

    merge_organisations(keep, other)

    after = relation_counts(keep)
    expected = {label: before_keep[label] + before_other[label] for label in before_keep}
    expected["organisation aliases"] += 1  # the other's name
    assert after == expected
    assert not Organisation.objects.filter(pk=other.pk).exists()
    assert set(keep.aliases.values_list("name", flat=True)) == {
        "keep alias",
        "other alias",
        "New sciences LLC",
    }


def test_the_preview_announces_the_merge_and_changes_nothing():
    keep = make_organisation("New Science LLC")
    other = make_organisation("New sciences LLC")
    give_every_relation(other, "other")
    before = relation_counts(other)

    outcome = preview_organisations(keep, other)

    assert relation_counts(other) == before
    assert {step.label: step.moved for step in outcome.changes}["people"] == 1
    assert outcome.new_aliases == ["New sciences LLC"]


def test_two_meetings_on_one_day_at_one_event_become_one_with_their_fields_completed():
    keep = make_organisation("Tartu BT Park")
    other = make_organisation("Tartù Biocluster")
    event = make_event("GEN.ERA closing event")
    kept = make_meeting(keep, event=event, date=DAY, notes="Soft landing.")
    merged = make_meeting(other, event=event, date=DAY, topic="GEN.ERA", notes="Visit in June.")
    kadri = make_person(other, first_name="Kadri", last_name="Tamm")
    merged.people.add(kadri)

    outcome = merge_organisations(keep, other)

    meeting = Meeting.objects.get()
    assert meeting.pk == kept.pk
    assert (meeting.topic, meeting.notes) == ("GEN.ERA", "Soft landing.\n\nVisit in June.")
    assert list(meeting.people.all()) == [kadri]
    [step] = [s for s in outcome.changes if s.label == "meetings (organisation met)"]
    assert step.moved == 0 and len(step.combined) == 1


def test_a_network_membership_held_by_both_becomes_one():
    keep = make_organisation("Tartu BT Park")
    other = make_organisation("Tartù Biocluster")
    scanbalt = make_organisation("ScanBalt", kind=Organisation.Kind.NETWORK)
    Membership.objects.create(network=scanbalt, member=keep)
    Membership.objects.create(
        network=scanbalt, member=other, start_date=datetime.date(2019, 1, 1), notes="Founder."
    )

    merge_organisations(keep, other)

    membership = Membership.objects.get()
    assert (membership.member, membership.start_date, membership.notes) == (
        keep,
        datetime.date(2019, 1, 1),
        "Founder.",
    )


def test_a_link_between_the_two_records_is_dropped_not_turned_onto_itself():
    network = make_organisation("CEBR", kind=Organisation.Kind.NETWORK)
    member = make_organisation("Council of European BioRegions", parent=network)
    Membership.objects.create(network=network, member=member)
    DistinctOrganisations.objects.create(first=network, second=member)

    outcome = merge_organisations(network, member)

    assert Membership.objects.count() == 0
    assert DistinctOrganisations.objects.count() == 0
    assert network.parent is None
    assert any(step.dropped for step in outcome.changes)


def test_the_merge_is_recorded_in_both_records_history(make_user):
    editor = make_user("Administrator")
    keep = make_organisation("Université Paris-Saclay")
    other = make_organisation("Paris-Saclay University")
    other_id = other.pk

    merge_organisations(keep, other, user=editor)

    kept_entry = keep.history.first()
    assert kept_entry.history_user == editor
    assert kept_entry.history_change_reason == (
        f"Merged Paris-Saclay University (#{other_id}) into this record"
    )
    deleted = Organisation.history.filter(id=other_id).first()
    assert deleted.history_type == "-" and deleted.history_user == editor
    assert deleted.history_change_reason == f"Merged into Université Paris-Saclay (#{keep.pk})"


def test_a_record_cannot_be_merged_into_itself():
    organisation = make_organisation("BioWin")
    with pytest.raises(MergeError):
        merge_organisations(organisation, organisation)


def test_people_merge_with_their_meetings_and_a_meeting_with_both_keeps_one():
    genopole = make_organisation("Genopole")
    keep = make_person(genopole, first_name="Étienne", last_name="Philippe", email="")
    other = make_person(
        genopole, first_name="Etienne", last_name="Philippe", email="ep@example.org"
    )
    both = make_meeting(make_organisation("BioM"))
    both.people.add(keep, other)
    make_meeting(make_organisation("BioWin")).people.add(other)

    merge_people(keep, other)

    keep.refresh_from_db()
    assert keep.email == "ep@example.org"
    assert keep.meetings.count() == 2
    assert list(both.people.all()) == [keep]
    assert not Person.objects.filter(pk=other.pk).exists()


def test_the_merge_commands_merge_and_report(capsys):
    keep = make_organisation("SG Innovate")
    other = make_organisation("SGInnovate")
    make_person(other)
    call_command("merge_organisations", keep.pk, other.pk)
    out = capsys.readouterr().out
    assert "Merged SGInnovate into SG Innovate." in out
    assert "people: 1 moved" in out
    assert keep.people.count() == 1


def test_the_merge_command_refuses_unknown_ids_clearly():
    keep = make_organisation("SG Innovate")
    with pytest.raises(CommandError, match="No organisation with id 999999; nothing merged."):
        call_command("merge_organisations", keep.pk, 999999)


def test_merge_people_command():
    one = make_person(first_name="Jean", last_name="Martin")
    other = make_person(first_name="Jean", last_name="Martin")
    call_command("merge_people", one.pk, other.pk)
    assert list(Person.objects.filter(last_name="Martin")) == [one]


def test_a_kept_record_that_was_part_of_the_other_is_part_of_nothing_after():
    other = make_organisation("Assistance Publique – Hôpitaux de Paris")
    keep = make_organisation("AP-HP", parent=other)
    outcome = merge_organisations(keep, other)
    keep.refresh_from_db()
    assert keep.parent is None
    assert outcome.relation("organisations (parent organisation)").dropped == ["AP-HP"]


def test_the_kept_records_page_shows_the_merge_in_its_history(admin_client):
    keep = make_organisation("SG Innovate")
    other = make_organisation("SGInnovate")
    other_id = other.pk
    merge_organisations(keep, other)
    response = admin_client.get(keep.get_absolute_url())
    assert f"Merged SGInnovate (#{other_id}) into this record" in response.content.decode()
