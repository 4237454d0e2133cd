from django.contrib import admin

from core.saved_views.models import SavedView


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    """Administrators only; changes are recorded by the model's history."""

    list_display = ["name", "list_name", "owner", "shared", "updated_at"]
    list_filter = ["shared", "list_name"]
    search_fields = ["name", "owner__username"]
    list_select_related = ["owner"]
