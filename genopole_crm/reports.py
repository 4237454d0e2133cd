"""The annual-report page of a year: the "Europe & International" figures and highlights.

What the team used to count by hand for the activity report, regenerated from the records:
the year's events with the figures reported for them, partnerships begun and ended, project
milestones, and the figures reported about networks and projects. Printable as one A4
document; its figures download as CSV or XLSX. A fixed number of queries whatever the year.

A printed annual report lists every event, partnership and milestone of its year, so it
is not cut to the 100 KB of the list pages (271 events at 100× the data); its body is
computed once per version of the records it reads (core.caching), the sources (a table
without history) at each load.
"""

import io
from dataclasses import dataclass

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from openpyxl import Workbook

from core.caching import cached_per_version
from core.exports import csv_response
from core.spreadsheets import neutralise_formula
from core.views import permission
from events.models import Event, EventAlias, EventFigure, Meeting, Participation
from partners.models import Organisation, OrganisationFigure, Partnership, Report
from projects.models import Milestone, Project, ProjectFigure

EARLIEST, LATEST = 1990, 2100  # beyond these a "year" in the address is a typing mistake
# Every model the report's body is read from: a write to any of them is a new version.
REPORTED = (
    Event,
    Participation,
    EventAlias,
    EventFigure,
    Meeting,
    Organisation,
    Partnership,
    Milestone,
    Project,
    OrganisationFigure,
    ProjectFigure,
    Report,
)


@dataclass(frozen=True)
class Figure:
    """One row of the report's figures table and of its CSV/XLSX download."""

    section: str
    subject: str
    what: str
    qualifier: str
    value: int

    @classmethod
    def reported(cls, section, subject, figure):
        noun, label = str(figure.noun), figure.label
        what = f"{noun} ({label})" if noun and label else noun or label
        exact = figure.qualifier == figure.Qualifier.EXACTLY
        qualifier = "" if exact else str(figure.get_qualifier_display())
        return cls(section, str(subject), what, qualifier, figure.value)


class AnnualReport:
    """Everything the report page shows for `year`, read in a fixed number of queries."""

    def __init__(self, year):
        self.year = year
        self.events = list(
            Event.objects.in_year(year)
            .attended()
            .select_related("participation", "host", "organiser")
            .prefetch_related("aliases", Prefetch("figures", EventFigure.objects.order_by("pk")))
            .order_by("start_date", "name")
        )
        self.event_counts = next(iter(Event.objects.in_year(year).per_year()), {})
        self.meeting_counts = next(iter(Meeting.objects.in_year(year).per_year()), {})
        self.new_organisations = Organisation.objects.first_met_in(year).count()
        partnerships = Partnership.objects.select_related("organisation")
        self.partnerships_started = list(
            partnerships.started_in(year).order_by("start_date", "organisation__name")
        )
        self.partnerships_ended = list(
            partnerships.filter(end_date__year=year).order_by("end_date", "organisation__name")
        )
        self.milestones = list(
            Milestone.objects.in_year(year).select_related("project", "event__host")
        )
        # Figures about networks and projects belong to the year of the report stating them.
        self.organisation_figures = list(
            OrganisationFigure.objects.filter(sources__year=year)
            .distinct()
            .select_related("organisation")
            .order_by("organisation__name", "pk")
        )
        self.project_figures = list(
            ProjectFigure.objects.filter(sources__year=year)
            .distinct()
            .select_related("project")
            .order_by("project__acronym", "pk")
        )

    @property
    def has_data(self):
        return bool(
            self.events
            or self.meeting_counts
            or self.partnerships_started
            or self.partnerships_ended
            or self.milestones
        )

    def key_figures(self):
        events, meetings = self.event_counts, self.meeting_counts
        section = _("Key figures")
        rows = [
            (_("Events attended"), events.get("total", 0)),
            (_("In person"), events.get("in_person_count", 0)),
            (_("Virtual"), events.get("virtual_count", 0)),
            (_("Hybrid"), events.get("hybrid_count", 0)),
            (_("Countries of the events"), events.get("country_count", 0)),
            (_("Meetings logged"), meetings.get("total", 0)),
            (_("Organisations met"), meetings.get("organisation_count", 0)),
            (_("Organisations met for the first time"), self.new_organisations),
            (_("Partnerships started"), len(self.partnerships_started)),
            (_("Project milestones"), len(self.milestones)),
        ]
        return [Figure(section, "Genopole", str(what), "", value) for what, value in rows]

    def figures(self):
        """Every figure of the report, in the order the page shows them."""
        rows = self.key_figures()
        for event in self.events:
            for figure in event.figures.all():
                rows.append(Figure.reported(_("Events"), event, figure))
        for figure in self.organisation_figures:
            rows.append(Figure.reported(_("Networks"), figure.organisation, figure))
        for figure in self.project_figures:
            rows.append(Figure.reported(_("European projects"), figure.project, figure))
        return rows


COLUMNS = [
    (_("Section"), lambda f: f.section),
    (_("Subject"), lambda f: f.subject),
    (_("Figure"), lambda f: f.what),
    (_("Qualifier"), lambda f: f.qualifier),
    (_("Value"), lambda f: f.value),
]


def xlsx_response(filename, title, columns, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit for a sheet name
    sheet.append([str(header) for header, _value in columns])
    for row in rows:
        sheet.append([neutralise_formula(value(row)) for _header, value in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ReportView(PermissionRequiredMixin, TemplateView):
    """/reports/<year>/: the page; `.csv` and `.xlsx` after it download its figures."""

    template_name = "report.html"
    # The report draws on every domain list, so it needs to read all of them.
    models = (Organisation, Partnership, Event, Meeting, Project)

    def get_permission_required(self):
        return [permission(model, "view") for model in self.models]

    def get(self, request, year, download=None):
        if not EARLIEST <= year <= LATEST or download not in (None, "csv", "xlsx"):
            raise Http404(_("No report for the year %(year)s.") % {"year": year})
        if download:
            report = AnnualReport(year)
            filename = f"genopole-international-{year}.{download}"
            if download == "csv":
                return csv_response(filename, COLUMNS, report.figures())
            return xlsx_response(filename, str(year), COLUMNS, report.figures())
        body = cached_per_version(
            "report",
            models=REPORTED,
            vary=(year,),
            compute=lambda: render_to_string(
                "includes/_report_body.html", {"report": AnnualReport(year), "year": year}
            ),
        )
        sources = Report.objects.filter(year=year).order_by("language", "title")
        context = self.get_context_data(report_body=body, sources=sources, year=year)
        return self.render_to_response(context)
