"""An organisation's timeline: everything dated about it, from every app, newest first."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class TimelineEntry:
    """One dated thing on an organisation's timeline: a meeting, a partnership starting…"""

    date: date
    when: str
    what: str
    text: str
    url: str = ""


def organisation_timeline(organisation, may_view=None):
    """Everything dated about this organisation, newest first.

    `may_view(model)` leaves out the kinds of record a reader may not view (all are shown
    without it). Reads the related records through `Organisation.shown()`, so a view that
    prefetched them (see `OrganisationQuerySet.for_profile()`) builds the timeline without
    further queries, from the latest meetings and events only.
    """

    def related(relation, *models):
        model = getattr(organisation, relation).model
        if may_view is None or all(may_view(m) for m in (model, *models)):
            return organisation.shown(relation)
        return []

    entries = []
    for partnership in related("partnerships"):
        if partnership.start_date:
            entries.append(
                TimelineEntry(
                    partnership.start_date,
                    partnership.start_display,
                    _("Partnership started"),
                    partnership.title,
                )
            )
        if partnership.end_date:
            entries.append(
                TimelineEntry(
                    partnership.end_date,
                    partnership.end_display,
                    _("Partnership ended"),
                    partnership.title,
                )
            )
    for link in related("network_links"):
        if link.start_date:
            entries.append(
                TimelineEntry(
                    link.start_date,
                    link.start_display,
                    _("Joined a network"),
                    str(link.network),
                    link.network.get_absolute_url(),
                )
            )
    for meeting in related("meetings"):
        entries.append(
            TimelineEntry(
                meeting.date,
                meeting.date_display,
                _("Meeting"),
                " — ".join(str(part) for part in (meeting.event, meeting.topic) if part),
                meeting.get_absolute_url(),
            )
        )
    for meeting in related("accompanied_meetings"):
        entries.append(
            TimelineEntry(
                meeting.date,
                meeting.date_display,
                _("Accompanied by Genopole to a meeting"),
                str(meeting.organisation),
                meeting.get_absolute_url(),
            )
        )
    project_model = organisation.consortium_roles.model._meta.get_field("project").related_model
    for role in related("consortium_roles", project_model):
        project = role.project
        if project.start_date:
            entries.append(
                TimelineEntry(
                    project.start_date,
                    project.start_display,
                    _("Project started"),
                    f"{project} ({role.get_role_display()})",
                    project.get_absolute_url(),
                )
            )
        if project.end_date:
            entries.append(
                TimelineEntry(
                    project.end_date,
                    project.end_display,
                    _("Project ended"),
                    str(project),
                    project.get_absolute_url(),
                )
            )
    for what, events in (
        (_("Organised an event"), related("organised_events")),
        (_("Hosted an event"), related("hosted_events")),
    ):
        for event in events:
            entries.append(
                TimelineEntry(
                    event.start_date,
                    event.start_display,
                    what,
                    str(event),
                    event.get_absolute_url(),
                )
            )
    for what, participations in (
        (_("At an event alongside Genopole"), related("shared_participations")),
        (_("Accompanied by Genopole to an event"), related("accompanied_participations")),
    ):
        for participation in participations:
            event = participation.event
            entries.append(
                TimelineEntry(
                    event.start_date,
                    event.start_display,
                    what,
                    str(event),
                    event.get_absolute_url(),
                )
            )
    return sorted(entries, key=lambda entry: entry.date, reverse=True)
