from django import template

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
