"""The search page, which belongs to no app (the top of the import graph).

The dashboard at "/" is in genopole_crm/dashboard.py, the annual reports in reports.py.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.views.generic import TemplateView

from core.filters import search_help
from core.search import query_problem
from core.views import permission
from events.models import Event, Meeting
from partners.models import Organisation, Person
from projects.models import Project


class SearchView(LoginRequiredMixin, TemplateView):
    """The header's search box: the first matches of each kind the user may read."""

    template_name = "search.html"
    shown = 10
    searched = [
        (Organisation, Organisation.objects.all(), "partners:organisation-list"),
        (Person, Person.objects.select_related("organisation"), "partners:person-list"),
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
            matches = queryset.search(q)
            context["sections"].append(
                {
                    "label": model._meta.verbose_name_plural,
                    "results": matches[: self.shown],
                    "count": matches.count(),
                    "list_url": reverse(url_name),
                }
            )
        return context
