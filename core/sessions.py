"""Sessions that stay alive while they are used, without a database write on every page.

Django either saves the session on every request (SESSION_SAVE_EVERY_REQUEST, a write per
page read) or only when it changes (so a session would end SESSION_COOKIE_AGE after the
log-in however busy its user). Between the two: a session in use is saved, and so its
expiry pushed back, at most once every SESSION_KEEP_ALIVE_SECONDS.
"""

import time

from django.conf import settings

KEPT_ALIVE_AT = "_kept_alive_at"


class KeepAliveMiddleware:
    """After SessionMiddleware and AuthenticationMiddleware (it needs the logged-in user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        # Only a session the browser already has: an API call authenticated by its token
        # (DRF sets request.user) must not start one.
        has_session = session is not None and session.session_key is not None
        if has_session and user is not None and user.is_authenticated:
            # A session saved now comes back with a fresh expiry (SESSION_COOKIE_AGE).
            now = int(time.time())
            if now - session.get(KEPT_ALIVE_AT, 0) >= settings.SESSION_KEEP_ALIVE_SECONDS:
                session[KEPT_ALIVE_AT] = now  # marks it modified: saved with a new expiry
        return response


def note_log_in_as_kept_alive(sender, request, user, **kwargs):
    """A log-in saves the session anyway: its expiry is fresh from then on."""
    if hasattr(request, "session"):
        request.session[KEPT_ALIVE_AT] = int(time.time())
