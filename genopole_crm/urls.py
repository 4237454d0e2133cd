from django.contrib import admin
from django.urls import include, path

from genopole_crm.dashboard import DashboardView, partner_map
from genopole_crm.reports import ReportView
from genopole_crm.views import SearchView

admin.site.site_header = "Genopole CRM"
admin.site.site_title = "Genopole CRM"
admin.site.index_title = "Genopole CRM"

urlpatterns = [
    path("", DashboardView.as_view(), name="home"),
    path("dashboard/partner-map.svg", partner_map, name="partner-map"),
    path("reports/<int:year>/", ReportView.as_view(), name="report"),
    path(
        "reports/<int:year>/figures.<str:download>",
        ReportView.as_view(),
        name="report-download",
    ),
    path("search/", SearchView.as_view(), name="search"),
    path("", include("core.saved_views.urls")),
    path("", include("partners.urls")),
    path("", include("events.urls")),
    path("", include("projects.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
