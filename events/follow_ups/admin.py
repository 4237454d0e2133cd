from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoryAdmin
from events.follow_ups.models import FollowUp, Subscriber


@admin.register(FollowUp)
class FollowUpAdmin(HistoryAdmin):
    list_display = ["what_short", "about", "due_date", "owner", "state", "closed_at"]
    list_filter = ["state", "owner", "due_date"]
    search_fields = ["what", "organisation__name", "meeting__organisation__name"]
    autocomplete_fields = ["meeting", "organisation", "partnership"]
    readonly_fields = ["closed_at", "closed_by", "created_at"]
    list_select_related = [
        "owner",
        "organisation",
        "meeting__organisation",
        "meeting__event",
        "partnership__organisation",
    ]
    date_hierarchy = "due_date"

    @admin.display(description=_("what is to be done"), ordering="what")
    def what_short(self, obj):
        return obj.what[:80]

    @admin.display(description=_("about"))
    def about(self, obj):
        return obj.subject

    def save_model(self, request, obj, form, change):
        # Closing and reopening from the admin records who and when, as the pages do.
        if obj.state == FollowUp.State.DONE and not obj.closed_at:
            obj.closed_at, obj.closed_by = timezone.now(), request.user
        elif obj.state == FollowUp.State.OPEN:
            obj.closed_at = obj.closed_by = None
        super().save_model(request, obj, form, change)


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Recorded in history (the model's), not revertible from the admin: a revert could bring a
    turned-off calendar link back."""

    list_display = ["user", "language", "has_calendar_link", "last_reminded_on"]
    list_filter = ["language"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    readonly_fields = ["last_reminded_on"]
    actions = ["revoke_calendar_links"]

    @admin.display(description=_("calendar link"), boolean=True)
    def has_calendar_link(self, obj):
        return bool(obj.calendar_token)

    @admin.action(description=_("Turn off the calendar links of the selected users"))
    def revoke_calendar_links(self, request, queryset):
        queryset.update(calendar_token="")
