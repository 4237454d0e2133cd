"""`/lookup/<kind>/?q=`: the small JSON search behind every search-as-you-type field (the
quick meeting form's and the lists' filters, see core.filters.LookupInput).

Here, at the top of the import graph, because its kinds come from every app.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse

from core.search import MAX_SEARCH_LENGTH, clean_query
from core.views import permission
from events.models import Event, EventSeries
from partners.models import Organisation, Person

LIMIT = 15


# kind → (model whose view permission it needs, the records it may name)
LOOKUPS = {
    "organisation": (Organisation, lambda: Organisation.objects.all()),
    "network": (Organisation, lambda: Organisation.objects.networks()),
    "member": (Organisation, lambda: Organisation.objects.consortium_members()),
    "event": (Event, lambda: Event.objects.order_by("-start_date", "name")),
    "series": (EventSeries, lambda: EventSeries.objects.all()),
    "person": (Person, lambda: Person.objects.select_related("organisation")),
}


def label_of(record):
    if isinstance(record, Person):
        return f"{record.full_name} ({record.organisation})"
    return str(record)


@login_required
def lookup(request, kind):
    """`?q=` → the first matches, best first, `{"results": [{"id": …, "label": …}]}`, for
    those allowed to read that kind of record. `?organisation=ID` narrows people to one
    organisation's."""
    if kind not in LOOKUPS:
        raise Http404
    model, records = LOOKUPS[kind]
    if not request.user.has_perm(permission(model, "view")):
        raise PermissionDenied
    q = request.GET.get("q", "")[:MAX_SEARCH_LENGTH]
    matches = records()
    if hasattr(matches, "ranked_search"):
        matches = matches.ranked_search(q, first_only=True)
    else:  # a series: its name only
        for word in clean_query(q):
            matches = matches.filter(name__folded__contains=word)
    organisation = request.GET.get("organisation", "")
    if kind == "person" and organisation.isdigit() and len(organisation) < 19:
        matches = matches.filter(organisation_id=int(organisation))
    results = [{"id": r.pk, "label": label_of(r)} for r in matches[:LIMIT]]
    return JsonResponse({"results": results})
