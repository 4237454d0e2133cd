"""`/healthz`, for load balancers and monitoring: may this app server take requests?

200 when the database answers and every migration of the code is applied; 503 otherwise
(a server started with new code before `migrate` ran, or cut off from PostgreSQL). No log-in,
and nothing in the answer that helps an attacker: no versions, names or error messages.
"""

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def database_reachable():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def migrations_applied():
    """No migration of the code is missing from the database (reads django_migrations)."""
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


@never_cache
@require_safe
def healthz(request):
    checks = {"database": "ok" if database_reachable() else "unreachable"}
    if checks["database"] == "ok":
        try:
            checks["migrations"] = "applied" if migrations_applied() else "pending"
        except DatabaseError:
            checks["database"] = "unreachable"
    healthy = checks == {"database": "ok", "migrations": "applied"}
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
