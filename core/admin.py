"""Admin base classes every domain app's admin builds on."""


from core.backoffice import TabularInline
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
