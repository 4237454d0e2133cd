"""Admin base classes every domain app's admin builds on."""

from urllib.parse import urlencode

from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.functional import cached_property

from core.backoffice import TabularInline
from core.filters import translated_names
from core.history import HistoryAdmin


class FoldedSearchMixin:
    """Admin search and autocomplete that ignore case and accents ("bievre" finds "Bièvre").

    Delegates to the model's `search()` queryset method, and reads its `search_fields`, so
    the admin, the list pages and the importer agree on what matches: one list per model.
    """

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        # Set on the instance: the search box and the autocomplete checks read the attribute.
        self.search_fields = list(model._default_manager.get_queryset().search_fields)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.ranked_search(search_term), False


class SortedByLabels:
    """Changelist columns of codes (a kind, a status, a country) sort by the codes' names in
    the language shown, as the site's lists do (`translated_names`): "Allemagne" before
    "Belgique" in French, "Belgium" before "Germany" in English; not by the stored codes."""

    def get_changelist(self, request, **kwargs):
        class ByLabels(super().get_changelist(request, **kwargs)):
            def get_ordering(self, request, queryset):
                return [
                    _by_label(self.model, part) for part in super().get_ordering(request, queryset)
                ]

        return ByLabels


def _by_label(model, part):
    if not isinstance(part, str):
        return part  # already an expression
    labels = translated_names(model, part.lstrip("-"))
    if labels is None:
        return part
    return labels.desc() if part.startswith("-") else labels.asc()


class LatestRowsFormSet(BaseInlineFormSet):
    """The `shown` first rows (in the inline's ordering) of a relation that may hold
    thousands: the largest event has 8,490 meetings at 100 times today's data, and all of
    them as forms made a 35 MB page of 25,486 queries."""

    shown = 20

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            self._queryset = super().get_queryset()[: self.shown]
        return self._queryset

    def _existing_object(self, pk):
        # A row posted back may have left the first `shown` since the page was sent (a
        # newer one added meanwhile): still that row, never a new one in its place.
        found = super()._existing_object(pk)
        return found if found is not None else self.queryset.filter(pk=pk).first()

    @cached_property
    def total(self):
        return self.queryset.count() if self.instance.pk else 0

    def _admin_url(self, action, **query):
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}")
        return f"{url}?{urlencode(query)}"

    def see_all_url(self):
        return self._admin_url("changelist", **{f"{self.fk.name}__id__exact": self.instance.pk})

    def add_url(self):
        return self._admin_url("add", **{self.fk.name: self.instance.pk})


class LatestRowsInline(TabularInline):
    """An inline showing at most `shown` rows, with links to all of them (the changelist
    filtered on this record) and, for those who may, to add one."""

    formset = LatestRowsFormSet
    template = "admin/edit_inline/latest_rows.html"
    shown = 20
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.shown = self.shown
        opts = self.model._meta
        formset.may_add = request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}")
        return formset


class ReadOnlyLatestRowsInline(LatestRowsInline):
    """`LatestRowsInline` without forms: each row links to its own page to be edited."""

    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReportedFigureInline(TabularInline):
    fields = ["metric", "label", "qualifier", "value", "wording", "sources"]
    autocomplete_fields = ["sources"]
    extra = 0


class ReportedFigureAdmin(HistoryAdmin):
    list_display = ["__str__", "metric", "qualifier", "value", "wording"]
    list_filter = ["metric", "qualifier"]
    search_fields = ["wording", "label"]
    autocomplete_fields = ["sources"]


# The saved views' admin lives beside them (core/saved_views/); importing it registers it.
# django-tasks-db registers its queue's table; background imports are followed on their own
# progress page (events/importing/), and this table would be the admin's only one in English.
from django.contrib import admin  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from core.saved_views import admin as saved_view_admin  # noqa: E402, F401

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
