from django.urls import path

from events.follow_ups import meeting_views, views

# Added to events/urls.py, so these are in the `events` namespace (`events:follow-up-list`).


urlpatterns = [
    path("follow-ups/", views.FollowUpListView.as_view(), name="follow-up-list"),
    path("follow-ups/<int:pk>/done/", views.MarkDoneView.as_view(), name="followup-done"),
    path("follow-ups/<int:pk>/reopen/", views.ReopenView.as_view(), name="followup-reopen"),
    path("follow-ups/settings/", views.CalendarSettingsView.as_view(), name="follow-up-settings"),
    # Public on purpose: calendar apps cannot log in; the secret token is the credential.
    path("follow-ups/calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("meetings/new/", meeting_views.LogMeetingView.as_view(), name="log-meeting"),
]
