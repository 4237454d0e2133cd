"""What every admin page of the project shares, the stock and third-party ones included."""

from django.contrib.admin import ModelAdmin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.db import connection


def could_be_id(value):
    """Whether `value` could be the id of a record (every model here has integer ids)."""
    low, high = connection.ops.integer_field_range("BigIntegerField")
    try:
        return low <= int(value) <= high
    except (TypeError, ValueError):
        return False


class SturdyChangeList(ChangeList):
    """Django's changelist, refusing (with its "?e=1" message) a date-hierarchy year too big
    for Python's dates (`?start_date__year=99999999999999999999` raised OverflowError, a 500)
    and NUL characters, which PostgreSQL cannot compare."""

    def get_filters(self, request):
        # PostgreSQL refuses NUL in any string (a 500 from every choice filter): refuse first.
        filters = [(key, values) for key, values in request.GET.lists() if key != SEARCH_VAR]
        if any("\x00" in text for key, values in filters for text in (key, *values)):
            raise IncorrectLookupParameters("NUL character in the query")
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


def use_sturdy_changelists(site):
    """Every changelist of `site`, ours and those of Django, django-axes…, uses SturdyChangeList.

    Called once the admin modules are loaded (genopole_crm/urls.py).
    """
    for model_admin in site._registry.values():
        if type(model_admin).get_changelist is ModelAdmin.get_changelist:  # not customised
            model_admin.get_changelist = lambda request, **kwargs: SturdyChangeList
