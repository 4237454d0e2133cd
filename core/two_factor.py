"""Two-factor log-in (issue 15, finding 9), on django-otp.

Staff enrol an authenticator app (TOTP) at /accounts/two-factor/setup/ and receive ten
single-use recovery codes (django-otp's static tokens). From then on, their log-in asks for a
code after the password. Administrators (superusers and the Administrator role) must enrol
before the admin lets them in. Wrong codes count like wrong passwords: after
AXES_FAILURE_LIMIT in a row the second factor is locked for AXES_COOLOFF_TIME; every
success, failure and lock is written to the user's admin history (LogEntry) and the log.
"""

import logging
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.roles import ADMINISTRATOR

log = logging.getLogger("genopole_crm.security")
RECOVERY_CODES = 10
# Reachable before the second factor: the two-factor pages themselves, logging out,
# choosing a language.
OPEN_URL_NAMES = {"two-factor", "two-factor-setup", "logout", "admin:logout", "set_language"}


CODE_DUE = "two_factor_code_due"


def note_whether_a_code_is_due(sender, request, user, **kwargs):
    """At log-in (password accepted), whether this user has an authenticator to ask about:
    noted in the session so that pages need no query to know."""
    request.session[CODE_DUE] = user_has_device(user)


def must_use_two_factor(user):
    return user.is_superuser or user.groups.filter(name=ADMINISTRATOR).exists()


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: a user with an authenticator must give a code
    before any page; an administrator without one must enrol before the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        match = request.resolver_match
        if not user.is_authenticated or user.is_verified():
            return None
        if match and match.view_name in OPEN_URL_NAMES:
            return None
        if request.session.get(CODE_DUE):
            return redirect_with_next(request, "two-factor")
        if request.path.startswith(reverse("admin:index")) and must_use_two_factor(user):
            return redirect_with_next(request, "two-factor-setup")
        return None


def redirect_with_next(request, url_name):
    return redirect(f"{reverse(url_name)}?{REDIRECT_FIELD_NAME}={request.get_full_path()}")


def next_url(request):
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


def audit(user, message):
    LogEntry.objects.log_actions(
        user.pk, [user], CHANGE, change_message=message, single_object=True
    )
    log.warning("user %s (#%s): %s", user.get_username(), user.pk, message)


def failures(user):
    """Wrong codes in a row, and when the last one was given, over all the user's devices."""
    devices = user_devices(user)
    count = sum(device.throttling_failure_count for device in devices)
    stamps = [d.throttling_failure_timestamp for d in devices if d.throttling_failure_timestamp]
    return count, max(stamps, default=None)


def is_locked(user):
    """Locked after AXES_FAILURE_LIMIT wrong codes in a row, for AXES_COOLOFF_TIME; then the
    count starts again."""
    count, last = failures(user)
    if count < settings.AXES_FAILURE_LIMIT:
        return False
    if last + settings.AXES_COOLOFF_TIME > timezone.now():
        return True
    for device in user_devices(user):
        device.throttle_reset()
    return False


def user_devices(user):
    return [
        *TOTPDevice.objects.devices_for_user(user),
        *StaticDevice.objects.devices_for_user(user),
    ]


def check_code(user, code):
    """The device that accepts `code` (an authenticator code or a recovery code), or None.

    Each device counts its own failures in a row (django-otp's `verify_token` does), which
    `is_locked` adds up.
    """
    code = "".join(code.split())
    recovery = not (len(code) == 6 and code.isdigit())  # recovery codes: 8 letters and digits
    family = StaticDevice if recovery else TOTPDevice
    devices = list(family.objects.devices_for_user(user))
    for device in devices:
        if device.verify_token(code):
            return device
    if not devices:  # e.g. a recovery code from someone who has none: still a failure
        for device in TOTPDevice.objects.devices_for_user(user)[:1]:
            device.throttle_increment()
    return None


def locked_response(request):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "registration/locked_out.html", context, status=429)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of logging in: a code from the authenticator, or a recovery code."""
    user = request.user
    if not user_has_device(user):
        return redirect("two-factor-setup")
    if is_locked(user):
        return locked_response(request)
    error = None
    if request.method == "POST":
        device = check_code(user, request.POST.get("code", ""))
        if device:
            otp_login(request, device)
            audit(user, f"Second factor accepted ({type(device).__name__}).")
            return redirect(next_url(request))
        audit(user, "Second factor refused: wrong code.")
        if is_locked(user):
            audit(user, "Second factor locked after too many wrong codes.")
            return locked_response(request)
        error = _("That code is not right. Try the current code, or a recovery code.")
    context = {"error": error, "next": next_url(request)}
    return render(request, "registration/two_factor_verify.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Enrol an authenticator: scan the code, type what it shows; get recovery codes once."""
    user = request.user
    if user_has_device(user) and not user.is_verified():
        return redirect("two-factor")
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "authenticator"}
    )
    error = None
    if request.method == "POST":
        if device.verify_token("".join(request.POST.get("code", "").split())):
            device.confirmed = True
            device.save()
            # A new phone replaces the old one.
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            codes = new_recovery_codes(user)
            otp_login(request, device)
            audit(user, "Authenticator enrolled; new recovery codes issued.")
            context = {"codes": codes, "next": next_url(request)}
            return render(request, "registration/two_factor_recovery_codes.html", context)
        error = _("That code is not right. Check the time on your phone and try the current code.")
    context = {
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=4),
        "secret": device_secret(device),
        "error": error,
        "must": must_use_two_factor(user),
        "next": next_url(request),
    }
    return render(request, "registration/two_factor_setup.html", context)


def device_secret(device):
    """The key to type into an authenticator that cannot scan, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def new_recovery_codes(user):
    """Replaces the user's recovery codes with RECOVERY_CODES new ones, returned once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes")
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
