"""Personal tokens: `Authorization: Token <key>` (or `Bearer <key>`)."""

import logging

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from genopole_crm.api.models import ApiToken

logger = logging.getLogger("genopole_crm.api")
KEYWORDS = {"token", "bearer"}


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in KEYWORDS:
            return None  # not ours: the session may still authenticate the request
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as “Authorization: Token <key>”.")
            )
        try:
            key = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        token = ApiToken.objects.matching(key).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        now = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
        logger.info(
            "API token %s of %s used: %s %s",
            token.pk,
            token.user.get_username(),
            request.method,
            request.path,
        )
        # DRF copies request.user onto the Django request too, where django-simple-history's
        # middleware reads it: changes made with a token are attributed to its owner.
        return token.user, token

    def authenticate_header(self, request):
        return "Token"
