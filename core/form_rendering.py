"""The list pages' filter forms, rendered by Django's own templates written in Python.

Django renders each field of a form through nested templates (the field group, its label, its
widget, each <option> of a <select>): 0.4–2 ms a field, 4–11 ms for a list's filter sidebar,
as much as the whole trivial page. `QuickRenderer` writes the same HTML in Python for the
templates the filters use (field group, label, inputs, selects) and hands any other template
(errors, other widgets) to Django. tests/core/test_filters_rendering.py compares the two.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs):
    """django/forms/attrs.html and widgets/attrs.html (`stringformat:"s"` is str())."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in (attrs or {}).items()
        if value is not False
    )


def _field(context):
    """django/forms/field.html."""
    field = context["field"]
    help_text = ""
    if field.help_text:
        help_id = f' id="{conditional_escape(field.auto_id)}_helptext"' if field.auto_id else ""
        help_text = f'<div class="helptext"{help_id}>{field.help_text}</div>'
    errors = field.errors
    errors = str(errors) if errors else ""
    widget = str(field)
    if field.use_fieldset:
        described = field.aria_describedby
        described = f' aria-describedby="{conditional_escape(described)}"' if described else ""
        legend = field.legend_tag() if field.label else ""
        head = f"\n  <fieldset{described}>\n  {legend}\n"
        return f"{head}\n{help_text}\n{errors}\n{widget}</fieldset>\n"
    label = field.label_tag() if field.label else ""
    return f"\n  {label}\n\n{help_text}\n{errors}\n{widget}\n"


def _label(context):
    """django/forms/label.html."""
    label = conditional_escape(context["label"])
    if not context["use_tag"]:
        return label
    tag = conditional_escape(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>"


def _input(context):
    """django/forms/widgets/input.html, which text.html, number.html, date.html… include."""
    widget = context["widget"]
    value = widget["value"]
    value = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return format_html(
        '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"],
        mark_safe(value), mark_safe(_attrs(widget["attrs"])),
    )  # fmt: skip


def _select(context):
    """django/forms/widgets/select.html with select_option.html."""
    widget = context["widget"]
    html = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            html.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in options:
            if option["template_name"] != "django/forms/widgets/select_option.html":
                raise _NotQuick
            html.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    str(option["value"]), mark_safe(_attrs(option["attrs"])),
                    option["label"],
                )
            )  # fmt: skip
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


class _NotQuick(Exception):
    """A case the Python version does not write: Django's template renders it."""


_INPUTS = ("text", "number", "search", "date", "email", "url", "tel", "hidden", "input")
QUICK_TEMPLATES = {
    "django/forms/field.html": _field,
    "django/forms/label.html": _label,
    "django/forms/widgets/select.html": _select,
    **{f"django/forms/widgets/{name}.html": _input for name in _INPUTS},
}


class QuickRenderer(DjangoTemplates):
    """Django's form renderer, with the templates of QUICK_TEMPLATES written in Python;
    like Django's, the result is stripped of surrounding white space."""

    def render(self, template_name, context, request=None):
        quick = QUICK_TEMPLATES.get(template_name)
        if quick is not None:
            try:
                return SafeString(quick(context).strip())
            except _NotQuick:
                pass
        return super().render(template_name, context, request=request)


QUICK_RENDERER = QuickRenderer()
