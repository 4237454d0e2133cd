from django import template

from core.saved_views.models import SavedView, kept_query

register = template.Library()


@register.inclusion_tag("saved_views/includes/_sidebar.html", takes_context=True)
def saved_views_sidebar(context):
    """The list's saved views (mine and the shared ones) and "save this view"."""
    request = context["request"]
    list_name = request.resolver_match.view_name
    return {
        "csrf_token": context.get("csrf_token"),
        "request": request,
        "list_name": list_name,
        "query": kept_query(request.GET.urlencode()),
        "saved_views": SavedView.objects.of_list(list_name).visible_to(request.user),
    }


@register.inclusion_tag("saved_views/includes/_dashboard.html", takes_context=True)
def my_saved_views(context):
    """The dashboard's panel: every saved view the user may open, by list."""
    request = context["request"]
    return {"saved_views": dashboard_views(request.user), "user": request.user}


def dashboard_views(user):
    return sorted(SavedView.objects.visible_to(user), key=lambda v: (str(v.list_label), v.name))
