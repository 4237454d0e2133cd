from django.urls import path

from events import views
from events.follow_ups.urls import urlpatterns as follow_up_urlpatterns

app_name = "events"

urlpatterns = [
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event-detail"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
]
# The follow-ups' pages and the quick meeting form, under this app's namespace.
urlpatterns += follow_up_urlpatterns
