from django import template
from django.utils.translation import get_language

from core import models

register = template.Library()


@register.inclusion_tag("includes/_sort_header.html", takes_context=True)
def sort_header(context, param, label):
    """A column header that sorts the list by `param`, and reverses it when clicked again."""
    request = context["request"]
    current = request.GET.get("sort", "")
    if current == param:
        direction, next_sort = "ascending", f"-{param}"
    elif current == f"-{param}":
        direction, next_sort = "descending", param
    else:
        direction, next_sort = None, param
    return {"request": request, "label": label, "direction": direction, "next_sort": next_sort}


@register.filter
def country_name(country):
    """`{{ organisation.country|country_name }}`: a list's column of countries, each name
    looked up once per language (core.models.country_name) rather than once per row."""
    return models.country_name(country.code, get_language()) if country else ""
