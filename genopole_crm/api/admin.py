from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from genopole_crm.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators see everyone's tokens (never the keys) and can revoke any of them."""

    list_display = ["name", "user", "key_start", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["name", "user__username", "key_start"]
    readonly_fields = ["user", "name", "key_start", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_digest"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # people create their own, on their account page, to see the key once

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoke()
            count += 1
        self.message_user(
            request,
            ngettext("%(count)s token revoked.", "%(count)s tokens revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )
