"""The admin's meeting-log import forms: django-import-export's, plus what a log needs.

- The upload is bounded (IMPORT_MAX_UPLOAD_SIZE) while it arrives, not after: the import view
  installs `SizeLimitedUploadHandler`, which stops storing a file past the limit, and the form
  then says so in words.
- Only CSV, TSV, TXT and XLSX files are accepted, by name and by their first bytes.
- An optional event applies to lines that name none (partnering-platform exports).
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
from import_export.forms import ConfirmImportForm, ImportForm

from events.models import Event

ACCEPTED_EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx")
ZIP_MAGIC = b"PK\x03\x04"
SIGNATURE_SALT = "events.meeting-import.confirm"


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


class MeetingImportForm(ImportForm):
    default_event = forms.ModelChoiceField(
        queryset=Event.objects.order_by("-start_date", "name"),
        required=False,
        label=_("Event for lines without one"),
        help_text=_(
            "For files with no event column, such as partnering-platform exports, or lines "
            "whose event cell is empty. Leave empty for meetings outside any event."
        ),
    )

    field_order = ["resource", "import_file", "format", "default_event"]

    def __init__(self, *args, upload_too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_too_large = upload_too_large
        self.fields["import_file"].help_text = _("CSV, TSV, TXT or XLSX, at most %(limit)s.") % {
            "limit": filesizeformat(settings.IMPORT_MAX_UPLOAD_SIZE)
        }
        self.fields["import_file"].widget.attrs["accept"] = ",".join(ACCEPTED_EXTENSIONS)

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self.upload_too_large:
            self.errors.pop("import_file", None)
            self.add_error("import_file", too_large_message())

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
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


class MeetingConfirmImportForm(ConfirmImportForm):
    default_event = forms.ModelChoiceField(
        queryset=Event.objects.all(), required=False, widget=forms.HiddenInput
    )
    signature = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        try:
            signed = signing.loads(
                cleaned.get("signature", ""), salt=SIGNATURE_SALT, max_age=24 * 60 * 60
            )
        except signing.BadSignature:
            raise forms.ValidationError(
                _("This preview has expired or was altered; upload the file again.")
            ) from None
        event = cleaned.get("default_event")
        expected = {
            "file": cleaned.get("import_file_name"),
            "user": self.user.pk if self.user else None,
            "event": event.pk if event else None,
        }
        if {key: signed.get(key) for key in expected} != expected:
            raise forms.ValidationError(
                _("This preview has expired or was altered; upload the file again.")
            )
        cleaned["checksum"] = signed.get("checksum", "")
        return cleaned


def sign_preview(*, tmp_name, user, checksum, event):
    """What the confirm step may import: this temporary file, by this user, with these bytes,
    with this event for lines without one."""
    return signing.dumps(
        {"file": tmp_name, "user": user.pk, "checksum": checksum, "event": event and event.pk},
        salt=SIGNATURE_SALT,
    )
