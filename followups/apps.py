from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowUpsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Follow-ups")
    default_auto_field = "django.db.models.BigAutoField"
