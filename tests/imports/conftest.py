from pathlib import Path

import pytest

from events.importing import import_meeting_log

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def import_file(report_data):
    """Import one of tests/data/ through the service, against the report data."""

    def run(name, **options):
        with (DATA / name).open("rb") as stream:
            return import_meeting_log(stream=stream, file_name=name, **options)

    return run


@pytest.fixture
def write_log(tmp_path):
    """A log written for one test (for contents too long or too odd to keep as a file)."""

    def write(text, name="log.csv", encoding="utf-8"):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
        return path

    return write
