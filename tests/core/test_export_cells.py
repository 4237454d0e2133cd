"""A list's CSV says, byte for byte, what its records' instances say: labels as
get_*_display() gives them in the download's language, related names as str() of `.all()`
in their model's order, dates in ISO, Yes/No, and every text cell neutralised as a
spreadsheet formula would need (core/spreadsheets.py). The download computes its chunks
column by column from plain tuples; these tests hold it to the plain reading of each record,
across chunks, on tricky values: formulas, accents, quotes, separators and line breaks,
empty and missing values, several names in one cell."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation

from core import exports
from core.models import DatePrecision
from core.spreadsheets import neutralise_formula
from events.follow_ups.models import FollowUp
from events.models import Meeting
from partners.models import Membership, Organisation, OrganisationAlias
from tests.factories import make_event, make_follow_up, make_meeting, make_organisation, make_person
from tests.helpers import meeting_csv_cells

pytestmark = pytest.mark.django_db
LANGUAGES = ["en", "fr"]


def expected_csv(header_line, rows, separator):
    """The header as downloaded, then `rows` as the csv module writes them."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator).writerows(
        [neutralise_formula(cell) for cell in row] for row in rows
    )
    return header_line + buffer.getvalue()


def downloaded(client, url, language, **params):
    client.cookies["django_language"] = language
    text = client.get(url, {"export": "csv", **params}).getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    text = text.removeprefix("\ufeff")
    return text, text[: text.index("\r\n") + 2]


def yes_no(value):
    return translation.gettext("Yes") if value else translation.gettext("No")


@pytest.fixture
def tricky_meetings(monkeypatch):
    """Meetings whose cells a spreadsheet could misread, spread over chunks of two."""
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    formula = make_organisation('=HYPERLINK("http://evil.example","x")', country="FR")
    accented = make_organisation("Génopole Évry ; « Biocluster »", kind="sme", country="DE")
    hidden = make_organisation("\u200b@SUM(A1)", kind="university", country="")
    negative = make_organisation('-5 Lab, "quoted"', kind="company", country="JP")
    # Names sorted otherwise than by key: the cell lists them in the model's order.
    zoe = make_person(accented, first_name="Zoë", last_name="Ünal")
    ada = make_person(accented, first_name="+Ada", last_name="Aalto")
    mari = make_person(formula, first_name="Mari", last_name="Kask")
    event = make_event("BIO =International Convention 2022")
    notes = 'Line one\nline two, "quoted"; and more'
    first = make_meeting(formula, date=datetime.date(2022, 6, 14), event=event, topic="=1+1",
                         notes=notes)  # fmt: skip
    first.people.set([zoe, ada, mari])
    first.accompanied_companies.set([negative, accented])
    make_follow_up(first, what="@call back")
    second = make_meeting(accented, date=datetime.date(2022, 6, 1), date_precision="month",
                          topic="", notes="")  # fmt: skip
    second.people.set([mari])
    make_follow_up(second, what="Done already", state=FollowUp.State.DONE)
    third = make_meeting(hidden, date=datetime.date(2021, 1, 1), date_precision="year",
                         topic="\ttabbed", notes="\x07bell")  # fmt: skip
    third.people.set([zoe, mari])  # Zoë's name was read in an earlier chunk
    make_meeting(negative, date=datetime.date(2020, 3, 4), topic="Café à Évry")
    make_meeting(formula, date=datetime.date(2019, 5, 6), topic="-")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_meetings_csv_is_what_each_meeting_says_across_chunks(
    viewer_client, tricky_meetings, language
):
    separator = ";" if language == "fr" else ","
    text, header = downloaded(viewer_client, reverse("events:meeting-list"), language, sort="-date")
    with translation.override(language):
        rows = [
            meeting_csv_cells(meeting)
            for meeting in Meeting.objects.with_follow_up_state()  # newest first, as listed
        ]
    assert text == expected_csv(header, rows, separator)
    assert "'=HYPERLINK" in text and "'+Ada Aalto; Mari Kask; Zoë Ünal" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_organisations_csv_is_what_each_organisation_says_across_chunks(
    viewer_client, monkeypatch, language
):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    cluster = make_organisation("Zeta cluster", kind="cluster", country="FR")
    network = make_organisation("=Alpha network", kind="network", country="BE")
    parent = make_organisation("Université Paris-Saclay", kind="university", country="FR",
                               genopole_accompanied=True, website="https://u.fr")  # fmt: skip
    child = make_organisation("@Child lab", kind="company", country="", parent=parent,
                              city="Évry-Courcouronnes", short_name="+CL")  # fmt: skip
    for member in (child, parent):
        Membership.objects.create(member=member, network=cluster)
        Membership.objects.create(member=member, network=network)
    OrganisationAlias.objects.create(organisation=child, name="Labo ; « enfant »")
    OrganisationAlias.objects.create(organisation=child, name="-Another")
    make_meeting(child, date=datetime.date(2021, 6, 1), date_precision="month")
    separator = ";" if language == "fr" else ","
    text, header = downloaded(viewer_client, reverse("partners:organisation-list"), language,
                              sort="name")  # fmt: skip
    with translation.override(language):
        rows = [
            [
                organisation.name,
                organisation.short_name,
                "; ".join(str(alias) for alias in organisation.aliases.all()),
                organisation.get_kind_display(),
                organisation.country.name,
                organisation.country.code or "",
                organisation.city,
                organisation.parent.name if organisation.parent else "",
                "; ".join(str(network) for network in organisation.networks.all()),
                yes_no(organisation.genopole_accompanied),
                organisation.website,
                organisation.partnership_count,
                organisation.active_partnership_count,
                organisation.meeting_count,
                organisation.last_met.isoformat() if organisation.last_met else "",
                DatePrecision(organisation.last_met_precision).label
                if organisation.last_met
                else "",
            ]
            for organisation in Organisation.objects.with_counts().order_by("name", "pk")
        ]
    assert text == expected_csv(header, rows, separator)
    assert "=Alpha network; Zeta cluster" in text.replace("'", "")
