"""One record and one valid new record per API endpoint, for the tests that go through all."""

from tests.factories import (
    make_consortium_member,
    make_event,
    make_meeting,
    make_organisation,
    make_partnership,
    make_person,
)


def new_organisation():
    return {"name": "Biocat", "kind": "cluster", "country": "ES", "aliases": ["BioCat"]}


def new_person():
    return {"first_name": "Marie", "last_name": "Curie", "organisation": make_organisation().pk}


def new_partnership():
    return {
        "organisation": make_organisation().pk,
        "type": "cooperation",
        "title": "Exchange",
        "status": "active",
    }


def new_event():
    return {
        "name": "BIO 2031",
        "kind": "convention",
        "format": "in_person",
        "country": "US",
        "start_date": "2031-06-01",
    }


def new_meeting():
    return {"date": "2031-06-14", "organisation": make_organisation().pk}


def new_project():
    return {
        "acronym": "NEWPRJ",
        "status": "planned",
        "consortium": [{"organisation": make_organisation().pk, "role": "coordinator"}],
    }


def a_project():
    return make_consortium_member(role="coordinator").project


# (endpoint, model label, make an existing record, body of a new one, a field to change)
ENDPOINTS = [
    ("organisations", "partners.organisation", make_organisation, new_organisation, "city"),
    ("people", "partners.person", make_person, new_person, "role"),
    ("partnerships", "partners.partnership", make_partnership, new_partnership, "notes"),
    ("events", "events.event", make_event, new_event, "city"),
    ("meetings", "events.meeting", make_meeting, new_meeting, "topic"),
    ("projects", "projects.project", a_project, new_project, "call"),
]
IDS = [endpoint for endpoint, *_ in ENDPOINTS]
