from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from savedviews.models import SavedView


@admin.register(SavedView)
class SavedViewAdmin(SimpleHistoryAdmin):
    list_display = ["name", "list_name", "owner", "shared", "updated_at"]
    list_filter = ["shared", "list_name"]
    search_fields = ["name", "owner__username"]
    list_select_related = ["owner"]
