"""Saved views: a list's filters and sort kept under a name, for oneself or for everyone.

A saved view is only a list URL name and a query string; opening it is opening that URL,
so it shows exactly what the list shows to whoever opens it (the list's permissions apply).
"""

from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Parameters that are not part of a view: the page shown, and the download switch.
NOT_KEPT = {"page", "format", "export", "csrfmiddlewaretoken"}


def kept_query(query_string: str) -> str:
    pairs = parse_qsl(query_string, keep_blank_values=False)
    return urlencode([(key, value) for key, value in pairs if key not in NOT_KEPT])


def list_model(list_name: str):
    """The model a list page (by URL name) shows, or None when it is not a list page."""
    try:
        view_class = resolve(reverse(list_name)).func.view_class
    except (NoReverseMatch, AttributeError):
        return None
    return getattr(view_class, "model", None)


def may_view_list(user, list_name: str) -> bool:
    model = list_model(list_name)
    if model is None:
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


class SavedViewQuerySet(models.QuerySet):
    def own_or_shared(self, user):
        return self.filter(Q(owner=user) | Q(shared=True)).select_related("owner")

    def of_list(self, list_name):
        return self.filter(list_name=list_name)

    def visible_to(self, user):
        """Their own views and the shared ones, of the lists they may view (one query: the
        permission is checked in Python, from the user's cached permissions)."""
        return [v for v in self.own_or_shared(user) if may_view_list(user, v.list_name)]


class SavedView(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_views",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=100)
    list_name = models.CharField(_("list"), max_length=100, help_text=_("The list's URL name."))
    query = models.CharField(_("filters and sort"), max_length=2000, blank=True)
    shared = models.BooleanField(
        _("shared with everyone"), default=False, help_text=_("Otherwise only you see it.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = SavedViewQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "list_name", "name"],
                name="saved_view_unique_name_per_owner_and_list",
                violation_error_message=_("You already have a view of this list with this name."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        url = reverse(self.list_name)
        return f"{url}?{self.query}" if self.query else url

    @property
    def list_label(self):
        model = list_model(self.list_name)
        return model._meta.verbose_name_plural if model else self.list_name
