"""What the list and detail pages of every app share.

Every page checks the same model permissions as the admin: `<app>.view_<model>` to read,
`<app>.export_<model>` to download a list as CSV. Anonymous users are sent to log in; a
logged-in user without the permission gets 403.
"""

from urllib.parse import urlencode

from django.apps import apps
from django.contrib.auth import get_permission_codename
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.text import slugify
from django.views.generic import DetailView
from django_filters.views import FilterView

from core.exports import csv_response
from core.history import audit_trail
from core.roles import DOMAIN_APPS

# `?export=csv` asks for the CSV download; its own parameter, so it never mixes with a
# filter's (the events list filters on the events' `format`). The old `?format=csv` of
# bookmarked links is redirected to it.
EXPORT, CSV = "export", "csv"


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
    """A filtered, sorted, paginated list; `?export=csv` downloads the same rows as CSV.

    Subclasses set `model`, `filterset_class`, `csv_columns` ((header, value-of-row) pairs)
    and a `get_queryset()` that selects and prefetches what a row shows.
    """

    paginate_by = 50
    csv_columns = ()

    def wants_csv(self):
        return self.request.GET.get(EXPORT) == CSV

    def get(self, request, *args, **kwargs):
        if CSV in request.GET.getlist("format"):
            data = request.GET.copy()
            data.setlist("format", [value for value in data.getlist("format") if value != CSV])
            data[EXPORT] = CSV
            return HttpResponsePermanentRedirect(f"{request.path}?{data.urlencode()}")
        return super().get(request, *args, **kwargs)

    def csv_url(self):
        params = [(key, value) for key, value in self.request.GET.lists() if key != "page"]
        query = [(key, value) for key, values in params for value in values if key != EXPORT]
        return f"{self.request.path}?{urlencode([*query, (EXPORT, CSV)])}"

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


class ViewPermissions:
    """What a user may read, for templates and views: `may_view.meeting` in a template,
    `may_view(Meeting)` in Python. A page shows a section about other records only when
    their view permission allows, as their own list and detail pages would."""

    do_not_call_in_templates = True

    def __init__(self, user):
        self.user = user

    def __call__(self, model):
        return self.user.has_perm(permission(model, "view"))

    def __getitem__(self, model_name):
        for app_label in DOMAIN_APPS:
            try:
                return self(apps.get_model(app_label, model_name))
            except LookupError:
                continue
        raise KeyError(model_name)


class DetailPage(PermissionRequiredMixin, DetailView):
    """One record, its audit history, and a link to its admin page for those who may edit."""

    def get_permission_required(self):
        return [permission(self.model, "view")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_view"] = ViewPermissions(self.request.user)
        context["history"] = audit_trail(self.object.history.select_related("history_user"))
        context["change_url"] = admin_change_url(self.request.user, self.object)
        return context
