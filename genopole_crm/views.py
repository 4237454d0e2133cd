"""What the list and detail pages share, and the pages that belong to no app: home and search.

Every page checks the same model permissions as the admin: `<app>.view_<model>` to read,
`<app>.export_<model>` to download a list as CSV. Anonymous users are sent to log in; a
logged-in user without the permission gets 403.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth import get_permission_codename
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.urls import reverse
from django.utils.text import slugify
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from events.models import Event, Meeting
from genopole_crm.exports import csv_response
from genopole_crm.history import audit_trail
from partners.models import Organisation, Partnership, Person
from projects.models import Project

# `?format=csv` asks for the CSV download. The events list also filters on the events'
# own `format` (in person, virtual, hybrid); "csv" is never one of those, so it is taken out
# of the parameter before filtering and the two can be combined: ?format=virtual&format=csv.
CSV = "csv"


def permission(model, action):
    opts = model._meta
    return f"{opts.app_label}.{get_permission_codename(action, opts)}"


def admin_change_url(user, obj):
    """The admin change page of `obj`, for staff allowed to change it; otherwise None."""
    if user.is_staff and user.has_perm(permission(type(obj), "change")):
        opts = obj._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return None


class ListPage(PermissionRequiredMixin, FilterView):
    """A filtered, sorted, paginated list; `?format=csv` downloads the same rows as CSV.

    Subclasses set `model`, `filterset_class`, `csv_columns` ((header, value-of-row) pairs)
    and a `get_queryset()` that selects and prefetches what a row shows.
    """

    paginate_by = 50
    csv_columns = ()

    def wants_csv(self):
        return CSV in self.request.GET.getlist("format")

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if self.wants_csv():
            data = self.request.GET.copy()
            data.setlist("format", [value for value in data.getlist("format") if value != CSV])
            kwargs["data"] = data
        return kwargs

    def csv_url(self):
        params = [(key, value) for key, value in self.request.GET.lists() if key != "page"]
        query = [(key, value) for key, values in params for value in values]
        return f"{self.request.path}?{urlencode([*query, ('format', CSV)])}"

    def get_permission_required(self):
        required = [permission(self.model, "view")]
        if self.wants_csv():
            required.append(permission(self.model, "export"))
        return required

    def get_paginate_by(self, queryset):
        return None if self.wants_csv() else self.paginate_by

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_filtered"] = any(
            any(self.request.GET.getlist(name))
            for name in self.filterset.form.fields
            if name != "sort"
        )
        context["can_export"] = self.request.user.has_perm(permission(self.model, "export"))
        context["csv_url"] = self.csv_url()
        context["verbose_name_plural"] = self.model._meta.verbose_name_plural
        return context

    def render_to_response(self, context, **response_kwargs):
        if self.wants_csv():
            filename = f"{slugify(self.model._meta.verbose_name_plural)}.csv"
            return csv_response(filename, self.csv_columns, self.object_list)
        return super().render_to_response(context, **response_kwargs)


class DetailPage(PermissionRequiredMixin, DetailView):
    """One record, its audit history, and a link to its admin page for those who may edit."""

    def get_permission_required(self):
        return [permission(self.model, "view")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = audit_trail(self.object.history.select_related("history_user"))
        context["change_url"] = admin_change_url(self.request.user, self.object)
        return context


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
    """The header's search box: the first matches of each kind the user may read."""

    template_name = "search.html"
    shown = 10
    searched = [
        (Organisation, Organisation.objects.all(), "partners:organisation-list"),
        (Person, Person.objects.select_related("organisation"), "partners:person-list"),
        (
            Partnership,
            Partnership.objects.select_related("organisation"),
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
        if not q:
            return context
        for model, queryset, url_name in self.searched:
            if not self.request.user.has_perm(permission(model, "view")):
                continue
            matches = queryset.ranked_search(q)
            context["sections"].append(
                {
                    "label": model._meta.verbose_name_plural,
                    "results": [SearchResult.of(record) for record in matches[: self.shown]],
                    "count": matches.count(),
                    "list_url": reverse(url_name),
                }
            )
        return context
