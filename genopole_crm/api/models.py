import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Shown at the start of every key so that a leaked one is recognisable in logs and scanners.
KEY_PREFIX = "gcrm_"


def digest(key: str) -> str:
    # Keys are 256 random bits, so a plain SHA-256 is enough: no dictionary to slow down.
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def matching(self, key: str):
        """The active token whose key this is, or none."""
        return self.active().filter(key_digest=digest(key)).select_related("user")


class ApiToken(models.Model):
    """A personal key a script sends instead of a password; only its digest is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. “annual report”.")
    )
    key_digest = models.CharField(_("key digest (SHA-256)"), max_length=64, unique=True)
    key_start = models.CharField(
        _("key starts with"), max_length=12, help_text=_("To recognise the key; not secret.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.key_start}…)"

    @classmethod
    def issue(cls, *, user, name: str) -> tuple["ApiToken", str]:
        """A new token and its key: the only time the key exists outside the client."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, key_digest=digest(key), key_start=key[: len(KEY_PREFIX) + 4]
        )
        return token, key

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def revoke(self):
        if not self.is_revoked:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
