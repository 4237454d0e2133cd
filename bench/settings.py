"""Settings of the benchmark's processes: the app's own, plus one bench-only page.

The trivial page (`bench/urls.py`) is what every measured page is compared with: logged in,
through the same middleware, rendering the same base template, with nothing in it.
"""

from genopole_crm.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]  # noqa: F405
# The load test talks plain HTTP to gunicorn on the loopback, with no TLS proxy in front:
# cookies marked Secure would never come back.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = False
