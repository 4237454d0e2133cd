"""The admin upload's guards that need no import library: a size limit enforced while the
file arrives, and a signature binding a confirmation to exactly what was previewed.

- The upload is bounded (IMPORT_MAX_UPLOAD_SIZE) while it arrives, not after: the import view
  installs `SizeLimitedUploadHandler`, which stops storing a file past the limit, and the form
  then says so in words.
- The confirm step carries a signature of the preview (the file's temporary name and checksum,
  the uploader, the event chosen), so that confirming imports exactly what was previewed, by
  the person who previewed it — never another temporary file named in a forged form.
"""

from pathlib import Path

from django import forms
from django.conf import settings
from django.core import signing
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

SIGNATURE_SALT = "events.meeting-import.confirm"
ACCEPTED_EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx")
ZIP_MAGIC = b"PK\x03\x04"

# The reading options the upload form offers, as `manage.py import_meetings` does.
DATE_ORDER_CHOICES = [
    ("", _("Decide from the file")),
    ("dmy", _("Day first (3 April 2022)")),
    ("mdy", _("Month first (March 4, 2022)")),
]
ENCODING_CHOICES = [
    ("", _("Detect it")),
    ("utf-8", "UTF-8"),
    ("utf-16", "UTF-16"),
    ("cp1252", _("Windows-1252 (Excel for Windows)")),
    ("mac_roman", _("Mac Roman (Excel for Mac)")),
]


class SizeLimitedUploadHandler(FileUploadHandler):
    """Stops an upload as soon as it passes IMPORT_MAX_UPLOAD_SIZE, so a huge file is never
    written to disk; marks the request so that the form can say why the file is missing."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.limit = settings.IMPORT_MAX_UPLOAD_SIZE

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.request.import_upload_too_large = self.file_name
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handlers build the file


def too_large_message():
    return _("The file is larger than %(limit)s, the most that can be imported at once.") % {
        "limit": filesizeformat(settings.IMPORT_MAX_UPLOAD_SIZE)
    }


def check_upload(upload):
    """The upload, if within the size limit and a CSV, TSV, TXT or XLSX file by its name
    and by its first bytes; else forms.ValidationError saying what is wrong."""
    if upload.size > settings.IMPORT_MAX_UPLOAD_SIZE:
        raise forms.ValidationError(too_large_message())
    extension = Path(upload.name).suffix.lower()
    if extension not in ACCEPTED_EXTENSIONS:
        raise forms.ValidationError(
            _(
                "Only CSV, TSV, TXT or XLSX files can be imported; “%(name)s” is not one. "
                "From Excel, use “Save as” CSV or XLSX."
            ),
            params={"name": upload.name},
        )
    upload.seek(0)
    start = upload.read(8)
    upload.seek(0)
    if (extension == ".xlsx") != start.startswith(ZIP_MAGIC):
        raise forms.ValidationError(
            _("“%(name)s” is not the kind of file its name says (%(extension)s)."),
            params={"name": upload.name, "extension": extension},
        )
    return upload


def sign_preview(*, tmp_name, user, checksum, event, name, date_order=None, encoding=None):
    """What the confirm step may import: this stored upload, by this user, with these bytes,
    with this event for lines without one, under the file name and reading options the
    preview had."""
    return signing.dumps(
        {
            "file": tmp_name,
            "user": user.pk,
            "checksum": checksum,
            "event": event and event.pk,
            "name": name,
            "date_order": date_order,
            "encoding": encoding,
        },
        salt=SIGNATURE_SALT,
    )


def with_lines(signature, lines):
    """The signed preview, with the number of lines the dry run read (known only after
    it): the confirm step runs files past IMPORT_BACKGROUND_LINES in the background."""
    signed = read_signature(signature)
    if signed is None:
        return signature
    return signing.dumps({**signed, "lines": lines}, salt=SIGNATURE_SALT)


def read_signature(signature):
    """The signed preview, or None when it expired or was altered."""
    try:
        return signing.loads(
            signature, salt=SIGNATURE_SALT, max_age=settings.IMPORT_PREVIEW_LIFETIME
        )
    except signing.BadSignature:
        return None
