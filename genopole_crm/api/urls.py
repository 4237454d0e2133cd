from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from genopole_crm.api import views

router = SimpleRouter(trailing_slash=True)
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("people", views.PersonViewSet, basename="person")
router.register("partnerships", views.PartnershipViewSet, basename="partnership")
router.register("events", views.EventViewSet, basename="event")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("follow-ups", views.FollowUpViewSet, basename="follow-up")
router.register("meeting-imports", views.MeetingImportViewSet, basename="meeting-import")

app_name = "api"
urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # A page for people: anonymous visitors are sent to log in, as on every other page.
    path(
        "docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
]
