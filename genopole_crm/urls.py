from django.contrib import admin
from django.urls import include, path

from core import health, two_factor
from core.changelist import use_sturdy_changelists
from genopole_crm.api.account import RevokeToken, TokenPage
from genopole_crm.dashboard import DashboardView, partner_map
from genopole_crm.lookups import lookup
from genopole_crm.reports import ReportView
from genopole_crm.views import SearchView

handler500 = "core.database.server_error"
use_sturdy_changelists(admin.site)

admin.site.site_header = "Genopole CRM"
admin.site.site_title = "Genopole CRM"
admin.site.index_title = "Genopole CRM"
# The collapsible side menu shifts the page once drawn and narrows the change forms.
admin.site.enable_nav_sidebar = False

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
    path("lookup/<str:kind>/", lookup, name="lookup"),
    path("", include("core.saved_views.urls")),
    path("", include("partners.urls")),
    path("", include("events.urls")),
    path("", include("projects.urls")),
    path("api/v1/", include("genopole_crm.api.urls")),
    path("admin/", admin.site.urls),
    path("accounts/api-tokens/", TokenPage.as_view(), name="api-tokens"),
    path("accounts/api-tokens/<int:pk>/revoke/", RevokeToken.as_view(), name="api-token-revoke"),
    path("accounts/two-factor/", two_factor.verify, name="two-factor"),
    path("accounts/two-factor/setup/", two_factor.setup, name="two-factor-setup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # For load balancers: no log-in, no trailing slash (see core/health.py).
    path("healthz", health.healthz, name="healthz"),
]
