from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel: what every domain app shares. It imports no domain app."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from core import prefetching
        from core.history import leave_loaded_links_out_of_history
        from core.roles import sync_roles_after_migrate
        from core.search import register_sqlite_functions
        from core.sessions import note_log_in_as_kept_alive
        from core.two_factor import note_whether_a_code_is_due

        prefetching.install()
        user_logged_in.connect(note_whether_a_code_is_due, dispatch_uid="core.two_factor")
        user_logged_in.connect(note_log_in_as_kept_alive, dispatch_uid="core.sessions")
        connection_created.connect(register_sqlite_functions)
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="core.sync_roles")
        post_save.connect(leave_loaded_links_out_of_history, dispatch_uid="core.history.raw")
