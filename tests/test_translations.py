"""French and English: a complete French catalogue, compiled, chosen by the browser or the user."""

import datetime
import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from events.models import EventFigure
from tests.factories import make_event, make_meeting, make_organisation

PROJECT = Path(settings.BASE_DIR)
FRENCH_PO = PROJECT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
FRENCH_MO = FRENCH_PO.with_suffix(".mo")


def catalogue(path=FRENCH_PO):
    return [entry for entry in polib.pofile(str(path)) if not entry.obsolete]


def key(entry):
    """The key Python's gettext catalogue uses for an entry."""
    return entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"


class TestCatalogue:
    def test_every_french_entry_is_translated(self):
        assert [e.msgid for e in catalogue() if not e.translated()] == []

    def test_no_french_entry_is_fuzzy_not_even_the_header(self):
        assert [e.msgid for e in catalogue() if "fuzzy" in e.flags] == []
        assert "fuzzy" not in polib.pofile(str(FRENCH_PO)).metadata_as_entry().flags

    def test_placeholders_are_kept_in_every_translation(self):
        placeholder = re.compile(r"%\(\w+\)s")

        def translations(entry):
            return entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]

        wrong = [
            e.msgid
            for e in catalogue()
            for text in translations(e)
            if sorted(placeholder.findall(text)) != sorted(placeholder.findall(e.msgid))
        ]
        assert wrong == []

    def test_the_compiled_catalogue_is_in_step_with_the_po_file(self, tmp_path):
        """The .mo is committed (so a clone needs no gettext); it must say what the .po says."""
        fresh = tmp_path / "django.mo"
        polib.pofile(str(FRENCH_PO)).save_as_mofile(str(fresh))
        with FRENCH_MO.open("rb") as committed, fresh.open("rb") as expected:
            actual = gettext.GNUTranslations(committed)._catalog
            wanted = gettext.GNUTranslations(expected)._catalog
        # msgfmt leaves the POT-Creation-Date out of the compiled header; the messages must match.
        actual.pop(""), wanted.pop("")
        assert actual == wanted

    @pytest.mark.skipif(not shutil.which("xgettext"), reason="needs gettext's xgettext")
    def test_every_string_marked_in_the_source_is_in_the_catalogue(self, tmp_path):
        """Runs makemessages on a copy of the sources and compares the message ids."""
        copy = tmp_path / "src"
        shutil.copytree(
            PROJECT,
            copy,
            ignore=shutil.ignore_patterns(
                ".*", "__pycache__", "tests", "staticfiles", "test-artifacts", "*.sqlite3",
                "node_modules",
            ),
        )
        result = subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete"],
            cwd=copy,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        extracted = {key(e) for e in catalogue(copy / FRENCH_PO.relative_to(PROJECT))}
        assert sorted(extracted - {key(e) for e in catalogue()}) == []


@pytest.mark.django_db
class TestLanguage:
    def test_english_is_the_default(self, viewer_client):
        content = viewer_client.get(reverse("partners:organisation-list")).content.decode()
        assert '<html lang="en">' in content
        assert "Apply filters" in content

    def test_a_browser_asking_for_french_gets_french(self, viewer_client):
        response = viewer_client.get(
            reverse("partners:organisation-list"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5"
        )
        content = response.content.decode()
        assert '<html lang="fr">' in content
        assert "Appliquer les filtres" in content
        assert "Organisations" in content and "Rendez-vous" in content

    def test_choosing_french_sticks_whatever_the_browser_asks(self, viewer_client):
        response = viewer_client.post(
            reverse("set_language"), {"language": "fr", "next": reverse("events:event-list")}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("events:event-list")
        content = viewer_client.get(
            reverse("events:event-list"), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
        assert "Événements" in content
        assert 'aria-pressed="true">Français' in content

    def test_choices_and_country_names_are_translated(self, viewer_client):
        make_organisation("BioM", kind="cluster", country="DE")
        make_organisation("Kawasaki LiSE", kind="science_park", country="JP")
        content = viewer_client.get(
            reverse("partners:organisation-list"), HTTP_ACCEPT_LANGUAGE="fr"
        ).content.decode()
        assert "Allemagne" in content and "Japon" in content
        assert "Parc scientifique" in content

    def test_sort_choices_are_translated_in_both_directions(self, viewer_client):
        content = viewer_client.get(
            reverse("partners:organisation-list"), HTTP_ACCEPT_LANGUAGE="fr"
        ).content.decode()
        assert ">Nom</option>" in content and ">Nom (décroissant)</option>" in content

    def test_dates_follow_the_language(self, viewer_client):
        meeting = make_meeting(date=datetime.date(2022, 6, 14))
        english = viewer_client.get(meeting.get_absolute_url()).content.decode()
        french = viewer_client.get(
            meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr"
        ).content.decode()
        assert "14 June 2022" in english
        assert "14 juin 2022" in french

    def test_numbers_follow_the_language(self, viewer_client):
        event = make_event()
        EventFigure.objects.create(event=event, metric="participants", value=13000)
        english = viewer_client.get(event.get_absolute_url()).content.decode()
        french = viewer_client.get(
            event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr"
        ).content.decode()
        assert "13,000 participants" in english
        assert "13\xa0000 participants" in french

    def test_the_csv_speaks_the_users_language(self, viewer_client):
        make_organisation("Kawasaki LiSE", kind="science_park", country="JP")
        response = viewer_client.get(
            reverse("partners:organisation-list"), {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="fr"
        )
        text = response.getvalue().decode("utf-8-sig")
        assert text.startswith("Nom;Nom court;Autres noms;Type;Pays")  # French Excel: ";"
        assert "Parc scientifique;Japon;JP" in text

    def test_the_log_in_page_is_translated(self, client):
        content = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        assert "Connexion au CRM Genopole" in content
        assert "Mot de passe oublié ?" in content
