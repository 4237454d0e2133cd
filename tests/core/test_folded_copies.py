"""The searched columns' stored folded copies (core.search.folded_copy) are right whatever
wrote the row, and a search finds the same records, in the same order, whether it has few
matches (looked up by id) or many (checked along the list's own order)."""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from core import search
from core.search import search_key
from events.importing import import_meeting_log
from events.models import Event, EventAlias, Meeting
from partners.merging import merge_organisations
from partners.models import Organisation, OrganisationAlias, Partnership, Person
from projects.models import Project
from tests.conftest import FIXTURES
from tests.factories import (
    make_event,
    make_meeting,
    make_organisation,
    make_person,
    make_project,
)

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent.parent / "data"
SEARCHED = [
    Organisation,
    OrganisationAlias,
    Person,
    Partnership,
    Event,
    EventAlias,
    Meeting,
    Project,
]


def wrong_copies(model, rows=None):
    """(pk, column, stored, expected) of every folded copy that differs from its column."""
    copies = [f.name for f in model._meta.concrete_fields if f.generated]
    sources = [name.removesuffix(search.FOLDED_SUFFIX) for name in copies]
    queryset = (
        model._base_manager.all() if rows is None else model._base_manager.filter(pk__in=rows)
    )
    return [
        (row["pk"], copy, row[copy], search_key(row[source]))
        for row in queryset.values("pk", *copies, *sources)
        for copy, source in zip(copies, sources, strict=True)
        if row[copy] != search_key(row[source])
    ]


def test_every_searched_model_keeps_folded_copies():
    for model in SEARCHED:
        assert any(f.generated for f in model._meta.concrete_fields), model


def test_saving_a_record_stores_its_names_folded():
    organisation = make_organisation("Grand Orly Seine Bièvre", short_name="G.O.S.B.")
    alias = OrganisationAlias.objects.create(organisation=organisation, name="GOSB – Évry")
    person = make_person(organisation, first_name="Élodie", last_name="Müller", role="CSO")
    event = make_event("BIO-Europe 2022", city="Köln")
    meeting = make_meeting(organisation, event=event, topic="Présentation de l'écosystème")
    found = Organisation.objects.get(pk=organisation.pk)
    assert (found.name_folded, found.short_name_folded) == ("grand orly seine bievre", "gosb")
    for record in (organisation, alias, person, event, meeting):
        assert wrong_copies(type(record), [record.pk]) == []


def test_a_renamed_record_has_its_copy_follow_even_through_update():
    organisation = make_organisation("Old Name")
    organisation.name = "Ærø Œuvre"
    organisation.save()
    assert Organisation.objects.get(pk=organisation.pk).name_folded == "aero oeuvre"
    Organisation.objects.filter(pk=organisation.pk).update(name="Straße")
    assert Organisation.objects.get(pk=organisation.pk).name_folded == "strasse"


def test_contacts_and_meetings_the_import_creates_have_their_copies(report_data):
    with (DATA / "partnering_export.csv").open("rb") as stream:
        report = import_meeting_log(stream=stream, file_name="partnering_export.csv")
    assert report.errors == [] and report.new_contacts
    created = Person.objects.filter(first_name="Kadri", last_name="Tamm")
    assert wrong_copies(Person, created) == []
    assert wrong_copies(Meeting, report.record.meetings.all()) == []
    assert list(Person.objects.search("kadri tamm")) == list(created)


def test_a_merge_leaves_the_kept_record_and_its_new_alias_folded():
    keep = make_organisation("Medicen")
    other = make_organisation("Pôle Médicen", short_name="MÉDICEN.")
    merge_organisations(keep, other)
    kept = Organisation.objects.get(pk=keep.pk)
    assert (kept.short_name, kept.short_name_folded) == ("MÉDICEN.", "medicen")
    assert wrong_copies(Organisation) == wrong_copies(OrganisationAlias) == []
    assert list(Organisation.objects.search("pole medicen")) == [kept]


def test_loaddata_fills_the_copies_of_every_fixture_row():
    call_command("loaddata", *FIXTURES, verbosity=0)
    assert Organisation.objects.exists() and Meeting.objects.exists()
    for model in SEARCHED:
        assert wrong_copies(model) == [], model


@pytest.fixture
def crowd():
    """Records matching "bio" in each searched way: own name, short name, alias, country
    name, a related organisation's or event's name, a person met."""
    bio = make_organisation("Alsace BioValley")
    make_organisation("Lyonbiopôle", short_name="LBP")
    make_organisation("Bio")
    make_organisation("Ascenion", short_name="BIO-A")
    aliased = make_organisation("Medicen")
    OrganisationAlias.objects.create(organisation=aliased, name="Biocluster Paris")
    make_organisation("Kawasaki Life Innovation Center", country="JP")
    other = make_organisation("Tartu BT Park")
    event = make_event("BIO-Europe 2022")
    EventAlias.objects.create(event=make_event("Convention 2023"), name="BIO 2023")
    day = iter(datetime.date(2022, 6, d) for d in range(1, 29))
    make_meeting(bio, topic="Soft landing", date=next(day))
    make_meeting(other, topic="Bioproduction capacity", date=next(day))
    make_meeting(other, event=event, date=next(day))
    met = make_meeting(other, topic="Licensing", date=next(day))
    met.people.add(make_person(other, last_name="Biondi"))
    make_person(bio, first_name="Kadri", last_name="Tamm")
    make_person(other, first_name="Jaan", last_name="Kask", role="Head of biology")
    make_project("BIOSYS")
    make_project("CELLS", title="Cell lines for biomanufacturing")


@pytest.mark.parametrize(
    ("model", "text"),
    [
        (Organisation, "bio"),
        (Organisation, "japon"),
        (Organisation, "bio valley"),
        (Person, "bio"),
        (Person, "tamm bio"),
        (Partnership, "bio"),
        (Event, "bio"),
        (Meeting, "bio"),
        (Meeting, "tartu bio"),
        (Meeting, "nothing like it"),
        (Project, "bio"),
    ],
)
def test_a_search_finds_the_same_records_with_few_matches_or_many(crowd, monkeypatch, model, text):
    few = list(model.objects.ranked_search(text))
    assert list(model.objects.ranked_search(text, first_only=True)) == few
    monkeypatch.setattr(search, "FEW_MATCHES", 0)  # every search has "many" matches
    assert list(model.objects.ranked_search(text)) == few
    assert list(model.objects.ranked_search(text, first_only=True)) == few
    assert set(model.objects.search(text)) == set(few)


def test_a_common_word_among_many_matches_is_found_on_its_records_own_row(crowd, monkeypatch):
    monkeypatch.setattr(search, "FEW_MATCHES", 0)
    sql = str(Meeting.objects.search("bio").query)
    assert "topic_folded" in sql and "CRM_FOLD" not in sql.upper().replace("_FOLDED", "")
