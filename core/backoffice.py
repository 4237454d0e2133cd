"""What makes the admin fit editors rather than its builders.

- `TechnicalTable`: tables edited as inlines of a record (aliases, figures, memberships,
  participations, consortium members, milestones) or kept by administrators (source
  reports) stay out of the admin index for everyone but administrators. Their pages keep
  working, so inlines, autocompletes and links still reach them.
- `ReturnToRecordPage`: *Save* goes back to the record's page on the site, with a message,
  for whoever may view it there; "Save and continue" and "Save and add another" keep their
  admin meaning.
"""

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.roles import ADMINISTRATOR


def is_administrator(user):
    return user.is_superuser or user.groups.filter(name=ADMINISTRATOR).exists()


class TechnicalTable:
    def has_module_permission(self, request):
        return is_administrator(request.user) and super().has_module_permission(request)


class ReturnToRecordPage:
    def response_add(self, request, obj, post_url_continue=None):
        return self._to_record_page(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._to_record_page(request, obj) or super().response_change(request, obj)

    def _to_record_page(self, request, obj):
        staying_in_the_admin = {"_continue", "_addanother", "_saveasnew", "_popup"}
        if staying_in_the_admin & set(request.POST) or "_popup" in request.GET:
            return None
        if not (hasattr(obj, "get_absolute_url") and self.has_view_permission(request, obj)):
            return None
        messages.success(request, format_html(_("“{record}” was saved."), record=str(obj)))
        return HttpResponseRedirect(obj.get_absolute_url())


class AutocompleteSelectWithEmptyChoice(AutocompleteSelect):
    """Django's autocomplete select with an empty first choice that valid HTML allows: a
    required select needs one, and an empty <option> needs a label attribute."""

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        empty = [o for _group, options, _i in groups for o in options if o["value"] == ""]
        if not empty and not self.allow_multiple_selected:
            groups.insert(0, (None, [self.create_option(name, "", "", False, 0)], 0))
            empty = groups[0][1]
        for option in empty:
            option["attrs"]["label"] = "—"
        return groups


class ValidHtmlForms:
    """For every admin and inline: autocompletes with a valid empty choice; in tabular
    inlines, no reference to a help text the table never prints (Django shows it in the
    column heading), which the HTML checker reports as a broken aria-describedby."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = AutocompleteSelectWithEmptyChoice(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TabularInline(ValidHtmlForms, admin.TabularInline):
    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        for field in formset.form.base_fields.values():
            if field.help_text:
                field.widget.attrs.setdefault("title", str(field.help_text))
                field.help_text = ""
        return formset


class StackedInline(ValidHtmlForms, admin.StackedInline):
    pass
