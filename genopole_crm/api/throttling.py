from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from genopole_crm.api.models import ApiToken


class PerTokenRateThrottle(SimpleRateThrottle):
    """At most API_TOKEN_RATE requests per token ("600/min"); sessions are not limited here
    (they are people at a browser, and the log-in itself is guarded by django-axes)."""

    scope = "token"

    def get_rate(self):
        # Read per request (throttles are built per request), so settings overrides apply.
        return settings.API_TOKEN_RATE

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
