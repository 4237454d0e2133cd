from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SavedViewsConfig(AppConfig):
    name = "savedviews"
    verbose_name = _("Saved views")
    default_auto_field = "django.db.models.BigAutoField"
