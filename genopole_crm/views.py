"""The pages that belong to no app: home and search (the top of the import graph)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.views.generic import TemplateView

from core.views import permission
from events.models import Event, Meeting
from partners.models import Organisation, Partnership, Person
from projects.models import Project


class HomeView(LoginRequiredMixin, TemplateView):
    """Where "/" lands: how many of each thing there are, and the follow-ups still to do."""

    template_name = "home.html"
    pending_shown = 10

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        counts = [
            (Organisation, Organisation.objects.all(), "partners:organisation-list", ""),
            (
                Partnership,
                Partnership.objects.active(),
                "partners:partnership-list",
                "?status=active",
            ),
            (Event, Event.objects.all(), "events:event-list", ""),
            (Meeting, Meeting.objects.all(), "events:meeting-list", ""),
            (Project, Project.objects.all(), "projects:project-list", ""),
        ]
        context["cards"] = [
            {
                "model": model,
                "label": model._meta.verbose_name_plural,
                "count": queryset.count(),
                "url": reverse(url_name) + query,
                "active_only": bool(query),
            }
            for model, queryset, url_name, query in counts
            if user.has_perm(permission(model, "view"))
        ]
        if user.has_perm(permission(Meeting, "view")):
            pending = Meeting.objects.follow_up_pending().select_related("organisation", "event")
            context["pending"] = pending[: self.pending_shown]
            context["pending_count"] = pending.count()
        return context


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
        if not q:
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
