"""The search page, which belongs to no app (the top of the import graph).

The dashboard at "/" is in genopole_crm/dashboard.py, the annual reports in reports.py.
"""

from dataclasses import dataclass

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.views.generic import TemplateView

from core.filters import search_help
from core.search import query_problem
from core.views import permission
from events.models import Event, Meeting
from partners.models import Organisation, Partnership, Person
from projects.models import Project


@dataclass(frozen=True)
class SearchResult:
    """A search result with what tells two look-alikes apart: its kind and country (a
    person's, meeting's or partnership's are its organisation's)."""

    record: object
    url: str
    kind: str
    country: str

    @classmethod
    def of(cls, record):
        described = record
        if not hasattr(record, "get_kind_display") and hasattr(record, "organisation"):
            described = record.organisation
        kind = described.get_kind_display() if hasattr(described, "get_kind_display") else ""
        country = getattr(described, "country", None)
        # A partnership has no page of its own: it is shown on its organisation's.
        url = (record if hasattr(record, "get_absolute_url") else described).get_absolute_url()
        return cls(record, url, kind, country.name if country else "")


class SearchView(LoginRequiredMixin, TemplateView):
    """The header's search box: the first matches of each kind the user may read, and a
    link to the list for the rest.

    Each kind asks for one row more than it shows, which tells "more than 10" without
    counting: "bio" matches over 350,000 meetings and 27,000 organisations, and counting
    the first thousand of each kind took a third of the page's 390 ms at 100×. The list
    behind the link counts them.
    """

    template_name = "search.html"
    shown = 10
    searched = [
        (Organisation, Organisation.objects.all(), "partners:organisation-list"),
        (Person, Person.objects.select_related("organisation"), "partners:person-list"),
        (
            Partnership,
            # The latest recorded first, as the primary key's index reads them and stops
            # at ten: in the list's order (organisation names) every match was sorted
            # first, 80 ms for "bio" at 100×.
            Partnership.objects.select_related("organisation").order_by("-pk"),
            "partners:partnership-list",
        ),
        (Event, Event.objects.all(), "events:event-list"),
        (Meeting, Meeting.objects.select_related("organisation", "event"), "events:meeting-list"),
        (Project, Project.objects.all(), "projects:project-list"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "").strip()
        context["q"] = q
        context["sections"] = []
        context["search_help"] = search_help()
        context["problem"] = query_problem(q)
        if not q or context["problem"]:
            return context
        for model, queryset, url_name in self.searched:
            if not self.request.user.has_perm(permission(model, "view")):
                continue
            first = list(queryset.ranked_search(q, first_only=True)[: self.shown + 1])
            context["sections"].append(
                {
                    "label": model._meta.verbose_name_plural,
                    "results": [SearchResult.of(record) for record in first[: self.shown]],
                    "count": min(len(first), self.shown),
                    "more": len(first) > self.shown,
                    "list_url": reverse(url_name),
                }
            )
        return context
