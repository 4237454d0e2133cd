"""What the list and detail pages of every app share.

Every page checks the same model permissions as the admin: `<app>.view_<model>` to read,
`<app>.export_<model>` to download a list as CSV or XLSX. Anonymous users are sent to log in; a
logged-in user without the permission gets 403.
"""

from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_permission_codename
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Page, Paginator
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.views.generic import DetailView
from django_filters.views import FilterView

from core.exports import EXPORTERS, xlsx_too_long
from core.filters import applied_filters
from core.form_rendering import QUICK_RENDERER
from core.history import audit_trail
from core.roles import DOMAIN_APPS

# `?export=csv` (or `xlsx`) asks for a download; its own parameter, so it never mixes with
# a filter's (the events list filters on the events' `format`). The old `?format=csv` of
# bookmarked links is redirected to it.
EXPORT, CSV, XLSX = "export", "csv", "xlsx"


def permission(model, action):
    opts = model._meta
    return f"{opts.app_label}.{get_permission_codename(action, opts)}"


def admin_change_url(user, obj):
    """The admin change page of `obj`, for staff allowed to change it; otherwise None."""
    if user.is_staff and user.has_perm(permission(type(obj), "change")):
        opts = obj._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return None


def url_of_the_filters_in_use(request):
    """The filter form sends every field, empty or not (`?q=&kind=&sort=`): the URL
    without the empty ones, for a shared link that says what it filters; None when the
    URL is already so."""
    in_use = [(key, v) for key, values in request.GET.lists() for v in values if v.strip()]
    if len(in_use) == sum(len(values) for _key, values in request.GET.lists()):
        return None
    return f"{request.path}?{urlencode(in_use)}" if in_use else request.path


class BoundedPaginator(Paginator):
    """Pages through the first `limit` rows, without counting further.

    Past that, the list says "more than 10,000" and asks for a filter: counting a million
    meetings and skipping 500,000 of them (OFFSET) cost seconds, and nobody reads page
    20,000. A page reads its rows' ids first, unannotated, and then only those rows with
    their counts: the rows skipped to reach a deep page are never annotated.
    """

    limit = 10_000

    @cached_property
    def counted(self):
        return self.object_list.order_by().values("pk")[: self.limit + 1].count()

    @cached_property
    def count(self):
        return min(self.counted, self.limit)

    @property
    def more(self):
        return self.counted > self.limit

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids).order_by()}
        return Page([rows[pk] for pk in ids if pk in rows], number, self)


class ListPage(PermissionRequiredMixin, FilterView):
    """A filtered, sorted, paginated list; `?export=csv` or `?export=xlsx` downloads the
    same rows.

    Subclasses set `model`, `filterset_class`, `csv_columns` ((header, value-of-row) pairs)
    and a `get_queryset()` that selects and prefetches what a row shows.

    Bad parameters never break the page: a filter with a value it cannot read is ignored
    and its error shown beside it (an unknown sort so falls back to the default order),
    and the page number is read leniently (see `paginate_queryset`).
    """

    paginate_by = 50
    paginator_class = BoundedPaginator
    csv_columns = ()

    def export_kind(self):
        kind = self.request.GET.get(EXPORT)
        return kind if kind in EXPORTERS else None

    def get(self, request, *args, **kwargs):
        if CSV in request.GET.getlist("format"):
            data = request.GET.copy()
            data.setlist("format", [value for value in data.getlist("format") if value != CSV])
            data[EXPORT] = CSV
            return HttpResponsePermanentRedirect(f"{request.path}?{data.urlencode()}")
        if shorter := url_of_the_filters_in_use(request):
            return HttpResponseRedirect(shorter)
        self.filterset = self.get_filterset(self.get_filterset_class())
        # Before any of its fields is bound: they take the form's renderer then.
        self.filterset.form.renderer = QUICK_RENDERER
        # Unlike django-filter's strict default (no rows at all), a filter whose value cannot
        # be read is left out: `qs` filters with the fields that are valid, and the form keeps
        # the errors to show beside the others.
        self.object_list = self.filterset.qs
        if kind := self.export_kind():
            return self.export(kind)  # no page to build: not a row is read before it streams
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context)

    def paginate_queryset(self, queryset, page_size):
        # A page number past the end shows the last page; one that is not a number, the first.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def export_url(self, kind):
        """This list's download as `kind`; with None, the list itself (its first page)."""
        query = [
            (key, value)
            for key, values in self.request.GET.lists()
            if key not in ("page", EXPORT)
            for value in values
        ]
        if kind is None:
            return f"{self.request.path}?{urlencode(query)}" if query else self.request.path
        return f"{self.request.path}?{urlencode([*query, (EXPORT, kind)])}"

    def get_permission_required(self):
        required = [permission(self.model, "view")]
        if self.export_kind():
            required.append(permission(self.model, "export"))
        return required

    def list_notes(self):
        """What the page says about how it read the URL, above the results."""
        if "sort" in self.filterset.form.errors:
            return [_("That sort order is unknown: showing the default order.")]
        return []

    def page_title(self):
        words = [capfirst(self.model._meta.verbose_name_plural), *applied_filters(self.filterset)]
        return " · ".join(str(word) for word in words)

    def export_filename(self, kind):
        """What is in the file and when it was made: meetings-bio-international-convention-
        2022-2026-12-01.csv."""
        words = [self.model._meta.verbose_name_plural, *applied_filters(self.filterset)]
        described = slugify(" ".join(str(word) for word in words))[:120].strip("-")
        return f"{described}-{timezone.localdate().isoformat()}.{kind}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_filtered"] = any(
            any(self.request.GET.getlist(name))
            for name in self.filterset.form.fields
            if name != "sort"
        )
        context["can_export"] = self.request.user.has_perm(permission(self.model, "export"))
        context["csv_url"] = self.export_url(CSV)
        context["xlsx_url"] = self.export_url(XLSX)
        context["page_title"] = self.page_title()
        context["list_notes"] = self.list_notes()
        context["verbose_name_plural"] = self.model._meta.verbose_name_plural
        return context

    def export(self, kind):
        """The download of the filtered rows, read as it is sent (core/exports.py)."""
        if kind == XLSX and xlsx_too_long(self.object_list):
            # A workbook is built whole before its first byte: past the limit, the list
            # itself says so and offers the CSV, which streams.
            messages.error(
                self.request,
                _(
                    "This list has more than %(limit)s rows, the most an Excel download "
                    "holds: download it as CSV, or filter it further."
                )
                % {"limit": number_format(settings.EXPORT_XLSX_MAX_ROWS, force_grouping=True)},
            )
            return HttpResponseRedirect(self.export_url(None))
        return EXPORTERS[kind](self.export_filename(kind), self.csv_columns, self.object_list)


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
        context["history"] = audit_trail(
            self.object.history.select_related("history_user"), may_view=context["may_view"]
        )
        context["change_url"] = admin_change_url(self.request.user, self.object)
        return context
