"""The dashboard at "/": the year's international activity, compared with the years before.

Every figure is an aggregate computed by the database (the querysets' `per_year()`,
`by_type()`, `per_country()`…), each one query whatever the number of rows, and each links to
the filtered list it counts. At a million meetings they take seconds, so they are computed
once per version of the records they count (core.caching): an edit still shows at the next
page load, which computes them afresh. Lists that grow with the data show their first rows
and link to the rest.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.gzip import gzip_page
from django.views.generic import TemplateView
from django_countries import countries as all_countries

from core.caching import cached_per_version
from core.views import permission
from events.follow_ups.models import FollowUp
from events.models import Event, EventFigure, Meeting, Participation
from genopole_crm import worldmap
from genopole_crm.charts import BarChart, Row
from genopole_crm.reports import EARLIEST, LATEST
from partners.models import Organisation, Partnership
from partners.querysets import SHOWN_ON_PAGE
from projects.models import ConsortiumMember, Milestone, Project

YEARS_COMPARED = 4  # the selected year and the three before it
SHOWN = 5  # rows in the short lists (upcoming events, recent meetings…)
ENDING_SOON_DAYS = 180
# Whose view permission decides which panels a reader sees (and so which cached page).
PANEL_MODELS = (Event, Meeting, Organisation, Partnership, Project)
# Every model the figures are read from: a write to any of them is a new version of the
# dashboard (core.caching), so it shows at the next load.
COUNTED = (
    Event,
    Participation,
    EventFigure,
    Meeting,
    FollowUp,
    Organisation,
    Partnership,
    Project,
    Milestone,
    ConsortiumMember,
)


def link(url_name, **params):
    """A list page's URL with its filters; list values repeat the parameter."""
    pairs = [
        (key, item)
        for key, value in params.items()
        for item in (value if isinstance(value, list | tuple) else [value])
    ]
    return reverse(url_name) + (f"?{urlencode(pairs)}" if pairs else "")


def year_span(year):
    return {"date_from": f"{year}-01-01", "date_to": f"{year}-12-31"}


def pending_follow_ups():
    """Meetings with an open follow-up task, oldest first (each with what its first open task
    says, `follow_up_what`), and the list that shows them all."""
    pending = (
        Meeting.objects.follow_up_pending()
        .with_follow_up_state()
        .select_related("organisation", "event")
    )
    return pending.order_by("date")[:SHOWN], link("events:meeting-list", follow_up_pending="true")


@dataclass
class YearlyFigure:
    """One figure per year, e.g. events attended: 6 in 2020, 6 in 2021, 9 in 2022."""

    label: str
    values: dict
    url_for: object  # year -> the filtered list behind the figure
    charted: bool = False  # drawn as bars per year, besides its row in the table
    # For a figure only the table shows: (first, last) -> its values for those years alone,
    # read once the year is chosen, rather than for every year.
    of_years: object = None

    def cells(self, years):
        cells, previous = [], None
        for year in years:
            value = self.values.get(year, 0)
            change = None if previous is None else value - previous
            url = self.url_for(year)
            cells.append({"year": year, "value": value, "url": url, "change": change})
            previous = value
        return cells

    def chart(self, years, selected):
        rows = [
            Row(str(year), self.values.get(year, 0), self.url_for(year), year == selected)
            for year in years
        ]
        return BarChart(self.label, rows, horizontal=False, width=360)


def yearly_figures(user):
    """The figures compared across years, each from one query over all years."""
    figures = []
    if user.has_perm(permission(Event, "view")):
        events = {row["year"]: row for row in Event.objects.per_year()}

        def events_url(**extra):
            return lambda y: link("events:event-list", year=y, attended="true", **extra)

        for label, key, url_for, charted in [
            (_("Events attended"), "total", events_url(), True),
            (_("In person"), "in_person_count", events_url(format="in_person"), False),
            (_("Virtual"), "virtual_count", events_url(format="virtual"), False),
            (_("Hybrid"), "hybrid_count", events_url(format="hybrid"), False),
            (_("Countries of the events"), "country_count", events_url(), False),
        ]:
            values = {y: r[key] for y, r in events.items()}
            figures.append(YearlyFigure(label, values, url_for, charted))
    if user.has_perm(permission(Meeting, "view")):
        meetings = {row["year"]: row for row in Meeting.objects.per_year(organisations=False)}
        figures.append(
            YearlyFigure(
                _("Meetings logged"),
                {y: r["total"] for y, r in meetings.items()},
                lambda y: link("events:meeting-list", **year_span(y)),
                charted=True,
            )
        )
    if user.has_perm(permission(Organisation, "view")) and user.has_perm(
        permission(Meeting, "view")
    ):
        figures.append(
            YearlyFigure(
                _("Organisations met"),
                {},
                lambda y: link("partners:organisation-list", met_year=y),
                of_years=organisations_met,
            )
        )
        firsts = Organisation.objects.first_met_per_year()
        figures.append(
            YearlyFigure(
                _("Organisations met for the first time"),
                {row["year"]: row["total"] for row in firsts},
                lambda y: link("partners:organisation-list", first_met_year=y),
            )
        )
    if user.has_perm(permission(Partnership, "view")):
        figures.append(
            YearlyFigure(
                _("Partnerships started"),
                {row["year"]: row["total"] for row in Partnership.objects.started_per_year()},
                lambda y: link("partners:partnership-list", start_year=y),
                charted=True,
            )
        )
    return figures


def asked_year(requested):
    """The year in the address as a number, or None when there is none or it is no year."""
    try:
        year = int(requested)
    except ValueError:
        return None
    return year if EARLIEST <= year <= LATEST else None


def organisations_met(first, last):
    """{year: organisations met} of the years `first` to `last`, through the date index."""
    meetings = Meeting.objects.filter(date__year__gte=first, date__year__lte=last)
    return {row["year"]: row["organisation_count"] for row in meetings.per_year()}


def choose_year(asked, years):
    """The year asked, or the latest with data (this year when there is none)."""
    if asked:
        return asked
    return years[-1] if years else timezone.localdate().year


def label_of(choices, value):
    return dict(choices.choices).get(value, value or _("Not stated"))


class DashboardView(LoginRequiredMixin, TemplateView):
    """Where "/" lands: the international activity of one year at a glance."""

    template_name = "dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        requested = self.request.GET.get("year", "").strip()
        asked = asked_year(requested)
        allowed = tuple(user.has_perm(permission(model, "view")) for model in PANEL_MODELS)
        today = timezone.localdate()
        figures = cached_per_version(
            "dashboard",
            models=COUNTED,
            vary=(asked, allowed, today),
            compute=lambda: self.figures(asked),
        )
        context.update(figures)
        if requested and asked is None:
            message = _("“%(value)s” is not a year; showing %(year)s.")
            context["year_message"] = message % {"value": requested, "year": figures["year"]}
        return context

    def figures(self, asked):
        """The year shown, the years with data, and the figures' part of the page, rendered
        (what is cached): everything but the reader's own follow-ups and saved views."""
        user = self.request.user
        figures = yearly_figures(user)
        years = sorted({year for figure in figures for year in figure.values if year})
        year = choose_year(asked, years)
        compared = [y for y in range(year - YEARS_COMPARED + 1, year + 1)]
        for figure in figures:
            if figure.of_years:
                figure.values = figure.of_years(compared[0], compared[-1])
        context = dict(
            year=year,
            years=years,
            has_data=year in years,
            comparison=[(f, f.cells(compared)) for f in figures],
            compared=compared,
            year_charts=[f.chart(years, year) for f in figures if f.charted],
            today=timezone.localdate(),
            report_url=reverse("report", args=[year]),
            shown=SHOWN_ON_PAGE,
        )
        panels = [
            (Event, self.event_panels),
            (Meeting, self.meeting_panels),
            (Partnership, self.partnership_panels),
            (Project, self.project_panels),
            (Organisation, self.map_panel),
        ]
        for model, panel in panels:
            if user.has_perm(permission(model, "view")):
                context.update(panel(year))
        context["nothing_to_show"] = not figures
        html = render_to_string("includes/_dashboard_figures.html", context)
        return {"year": year, "years": years, "figures_html": html}

    def event_panels(self, year):
        events = Event.objects.in_year(year)
        by_country = [
            Row(
                all_countries.name(row["country"]),
                row["total"],
                link("events:event-list", year=year, attended="true", country=row["country"]),
            )
            for row in events.per_country()
        ]
        upcoming = Event.objects.upcoming(timezone.localdate()).select_related("participation")
        return {
            "events_by_country": BarChart(_("Events attended by country"), by_country),
            "upcoming_events": upcoming[:SHOWN],
        }

    def meeting_panels(self, year):
        reported = EventFigure.objects.in_year(year).filter(metric=EventFigure.Metric.MEETINGS)
        pending, pending_url = pending_follow_ups()
        recent = Meeting.objects.select_related("organisation", "event").order_by("-date", "-pk")
        context = {
            # The first of them (one more says whether there are more): the annual report
            # lists every event's figures.
            "reported_meetings": list(
                reported.with_logged_meetings()
                .select_related("event")
                .order_by("event__start_date", "event__name", "label")[: SHOWN_ON_PAGE + 1]
            ),
            "pending": pending,
            "pending_url": pending_url,
            "recent_meetings": recent[:SHOWN],
        }
        if self.request.user.has_perm(permission(Organisation, "view")):
            kinds = Meeting.objects.in_year(year).organisations_by_kind()
            context["met_by_kind"] = BarChart(
                _("Organisations met by kind"),
                [
                    Row(
                        str(label_of(Organisation.Kind, row["organisation__kind"])),
                        row["total"],
                        link(
                            "partners:organisation-list",
                            met_year=year,
                            kind=row["organisation__kind"],
                        ),
                    )
                    for row in kinds
                ],
            )
        return context

    def partnership_panels(self, year):
        today = timezone.localdate()
        types = []
        for row in Partnership.objects.by_type(year):
            kind = row["type"]
            types.append(
                {
                    "label": label_of(Partnership.Type, kind),
                    "active": row["active"],
                    "active_url": link("partners:partnership-list", type=kind, status="active"),
                    "started": row["started"],
                    "started_url": link("partners:partnership-list", type=kind, start_year=year),
                    "pipeline": row["pipeline"],
                    "pipeline_url": link(
                        "partners:partnership-list",
                        type=kind,
                        status=[Partnership.Status.PROSPECT, Partnership.Status.IN_DISCUSSION],
                    ),
                }
            )
        soon = today + datetime.timedelta(days=ENDING_SOON_DAYS)
        partnerships = Partnership.objects.select_related("organisation")
        return {
            "partnership_types": types,
            "active_by_type": BarChart(
                _("Active partnerships by type"),
                [Row(str(t["label"]), t["active"], t["active_url"]) for t in types if t["active"]],
            ),
            "pipeline": partnerships.in_pipeline().order_by("organisation__name")[:SHOWN],
            "pipeline_count": sum(t["pipeline"] for t in types),
            "pipeline_url": link(
                "partners:partnership-list",
                status=[Partnership.Status.PROSPECT, Partnership.Status.IN_DISCUSSION],
            ),
            "ending_soon": partnerships.ending_between(today, soon).order_by("end_date")[:SHOWN],
            "ending_soon_days": ENDING_SOON_DAYS,
        }

    def project_panels(self, year):
        statuses = [
            Row(
                str(label_of(Project.Status, row["status"])),
                row["total"],
                link("projects:project-list", status=row["status"]),
            )
            for row in Project.objects.by_status()
        ]
        milestones = Milestone.objects.select_related("project", "event")
        return {
            "projects_by_status": BarChart(_("European projects by status"), statuses),
            # The first of them (and one more, as above); the annual report lists them all.
            "milestones_of_year": list(milestones.in_year(year)[: SHOWN_ON_PAGE + 1]),
            "next_milestones": milestones.upcoming(timezone.localdate())[:SHOWN],
        }

    def map_panel(self, year):
        rows = [
            Row(
                all_countries.name(row["country"]),
                row["total"],
                link("partners:organisation-list", partner="true", country=row["country"]),
            )
            for row in Organisation.objects.partners().per_country()
        ]
        return {"partner_countries": rows, "map_legend": worldmap.legend()}


class PartnerMapView(PermissionRequiredMixin, View):
    """The world map of partner organisations by country, as an SVG image (one query)."""

    title = gettext_lazy("Partner organisations by country")
    permission_required = permission(Organisation, "view")

    def get(self, request):
        counts = {
            row["country"]: row["total"] for row in Organisation.objects.partners().per_country()
        }
        names = {code: all_countries.name(code) for code in counts}
        region = request.GET.get("region", "world")
        svg = worldmap.render(counts, names, str(self.title), region)
        return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


partner_map = gzip_page(PartnerMapView.as_view())
