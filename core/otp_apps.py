"""django-otp's device apps under names the admin index can show in French and English."""

from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpConfig


class AuthenticatorAppsConfig(TotpConfig):
    verbose_name = _("Two-factor log-in: authenticator apps")


class RecoveryCodesConfig(StaticConfig):
    verbose_name = _("Two-factor log-in: recovery codes")
