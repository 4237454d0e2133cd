"""gunicorn's settings for production: `gunicorn genopole_crm.wsgi` (run from this folder,
gunicorn reads this file by itself). Sized for a 2-core server; each value can be set from
the environment, and gunicorn's own command-line options override them all.

Threads let a worker serve another request while one waits on PostgreSQL, without the
memory of another process; each thread keeps its own database connection
(DJANGO_CONN_MAX_AGE), so a server holds at most workers × threads connections.
"""

import multiprocessing
import os


def _int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value else default


# Behind the TLS proxy on the same machine by default; "0.0.0.0:8000" when the proxy is
# elsewhere (then set DJANGO_PROXY_COUNT and FORWARDED_ALLOW_IPS to the proxy's address).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1)
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
# A request still running after this is killed (the web statement timeout, 15 s, comes
# first); large imports and exports run as background tasks, not in a request.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5  # seconds; behind a proxy that reuses its connections
# Workers are replaced after this many requests (with jitter, not all at once), so that a
# slow leak never grows for weeks.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# The workers' heartbeat files in memory: a disk-backed /tmp can stall them under load.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# The proxy's address, whose X-Forwarded-Proto (https) gunicorn believes.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The client (as the proxy saw it), the request, status, size, referrer and browser, and
# the time it took in milliseconds.
access_log_format = (
    '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(B)s "%(f)s" "%(a)s" %(M)sms'
)
proc_name = "genopole-crm"
