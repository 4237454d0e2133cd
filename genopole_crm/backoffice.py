"""What makes the admin fit editors rather than its builders.

- `TechnicalTable`: tables edited as inlines of a record (aliases, figures, memberships,
  participations, consortium members, milestones) or kept by administrators (source
  reports) stay out of the admin index for everyone but administrators. Their pages keep
  working, so inlines, autocompletes and links still reach them.
- `ReturnToRecordPage`: *Save* goes back to the record's page on the site, with a message,
  for whoever may view it there; "Save and continue" and "Save and add another" keep their
  admin meaning.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext as _

ADMINISTRATOR = "Administrator"


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
