from django.urls import path

from followups import meeting_views, views

app_name = "followups"

urlpatterns = [
    path("follow-ups/", views.FollowUpListView.as_view(), name="follow-up-list"),
    path("follow-ups/<int:pk>/done/", views.MarkDoneView.as_view(), name="followup-done"),
    path("follow-ups/<int:pk>/reopen/", views.ReopenView.as_view(), name="followup-reopen"),
    path("follow-ups/settings/", views.CalendarSettingsView.as_view(), name="settings"),
    # Public on purpose: calendar apps cannot log in; the secret token is the credential.
    path("follow-ups/calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("meetings/new/", meeting_views.LogMeetingView.as_view(), name="log-meeting"),
    path("lookup/<str:kind>/", meeting_views.lookup, name="lookup"),
]
