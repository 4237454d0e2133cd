from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class LockoutsConfig(AxesAppConfig):
    """django-axes under a name the admin index can show in French and English."""

    verbose_name = _("Log-in lock-outs")
