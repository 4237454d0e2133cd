from django.urls import path

from events import views
from events.follow_ups.urls import urlpatterns as follow_up_urlpatterns
from events.importing import progress

app_name = "events"

urlpatterns = [
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event-detail"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("imports/<int:pk>/", progress.ImportProgressView.as_view(), name="import-progress"),
    path("imports/<int:pk>/status/", progress.ImportStatusView.as_view(), name="import-status"),
]
# The follow-ups' pages and the quick meeting form, under this app's namespace.
urlpatterns += follow_up_urlpatterns
