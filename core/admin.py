"""Admin base classes every domain app's admin builds on."""

from django.contrib.admin.views.main import ChangeList

from core.backoffice import TabularInline
from core.changelist import SturdyChangeList
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
        changelist = super().get_changelist(request, **kwargs)
        if changelist is ChangeList:
            # Customised here, so use_sturdy_changelists leaves this admin alone: its checks.
            changelist = SturdyChangeList

        class ByLabels(changelist):
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
from core.saved_views import admin as saved_view_admin  # noqa: E402, F401
