"""Keeping the web pages answering when the database is slow or away.

- Every statement a web request runs on PostgreSQL is cancelled after
  `WEB_STATEMENT_TIMEOUT_MS`, so that no request (a hostile search, say) keeps the database
  busy after the browser has given up. Management commands never pass through here, and the
  admin's import views (named in `STATEMENT_TIMEOUT_EXEMPT_URL_NAMES`) are left without a
  limit: an import is all or nothing and may legitimately take long.
- A request whose database is unreachable, or whose statement was cancelled, gets a short
  503 page instead of a 500 (`server_error`, the project's `handler500`).
"""

import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as stock_server_error


class StatementTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if connection.vendor != "postgresql":
            return self.get_response(request)
        request.statement_timeout_ms = settings.WEB_STATEMENT_TIMEOUT_MS
        with connection.execute_wrapper(TimeoutSetter(request)):
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match and match.url_name in settings.STATEMENT_TIMEOUT_EXEMPT_URL_NAMES:
            request.statement_timeout_ms = 0  # no limit


class TimeoutSetter:
    """Before the request's first statement, sets the session's timeout to the request's.

    Set per request, not per connection: a persistent connection may have served an import.
    The SET goes to the driver's own cursor, so pinned query counts do not see it.
    """

    def __init__(self, request):
        self.request = request
        self.applied = None

    def __call__(self, execute, sql, params, many, context):
        wanted = getattr(self.request, "statement_timeout_ms", 0)
        if wanted != self.applied:
            context["cursor"].cursor.execute(f"SET statement_timeout = {int(wanted)}")
            self.applied = wanted
        return execute(sql, params, many, context)


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """503 when the database is the trouble (unreachable, or a statement cancelled), else 500.

    Renders without the request's context: the user and session would need the database.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError) or (
        isinstance(error, DatabaseError) and "statement timeout" in str(error)
    ):
        page = loader.get_template("503.html").render({})
        response = HttpResponse(page, status=503)
        response["Retry-After"] = "60"
        return response
    try:
        return stock_server_error(request, template_name)
    except Exception:  # noqa: BLE001 - the last resort must not fail in turn
        return HttpResponseServerError("Server Error (500)")
