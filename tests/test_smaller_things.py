"""Compression, the remembered language, the admin's favicon, the password-reset pages."""

import gzip

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_are_gzipped_for_browsers_that_accept_it(viewer_client):
    response = viewer_client.get(reverse("partners:organisation-list"), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(response.content)


def test_a_production_build_keeps_compressed_copies_of_css_and_js(tmp_path):
    from tests.test_settings import PRODUCTION, manage

    result = manage(
        "collectstatic", "--noinput", "-v0", **PRODUCTION, DJANGO_STATIC_ROOT=str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    for name in ("crm/crm.css", "crm/admin.css", "admin/js/core.js"):
        assert list(tmp_path.glob(name.replace(".", ".*.", 1) + ".gz")), name


def test_the_chosen_language_is_remembered_for_a_year(viewer_client):
    response = viewer_client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "fr"
    assert int(cookie["max-age"]) == 365 * 24 * 60 * 60


def test_the_admin_shows_the_sites_favicon(admin_client):
    content = admin_client.get(reverse("admin:index")).content.decode()
    assert '<link rel="icon" href="/static/crm/favicon.svg"' in content


def test_forgotten_password_pages_look_like_the_site(client):
    content = client.get(reverse("password_reset")).content.decode()
    assert 'href="/static/crm/crm.css"' in content
    assert "admin/css/base.css" not in content
    assert '<button type="submit">Reset my password</button>' in content


def test_a_password_reset_request_leads_to_the_sites_confirmation_page(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert "Password reset sent" in response.content.decode()
    assert 'href="/static/crm/crm.css"' in response.content.decode()


def test_french_messages_put_a_space_before_double_punctuation():
    """French typography: "Mot de passe oublié ?", "Erreur : …" (a space, ideally
    non-breaking, before : ; ? and !), except inside URLs and placeholders."""
    import re

    import polib

    catalogue = polib.pofile(str(settings.BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    glued = re.compile(r"[^\s\u00a0\u202f:;?!(][:;?!](?=\s|$)")
    wrong = [e.msgstr for e in catalogue if glued.search(re.sub(r"\w+://\S+", "", e.msgstr))]
    assert wrong == []
