"""The admin upload's guards that need no import library: a size limit enforced while the
file arrives, and a signature binding a confirmation to exactly what was previewed.

- The upload is bounded (IMPORT_MAX_UPLOAD_SIZE) while it arrives, not after: the import view
  installs `SizeLimitedUploadHandler`, which stops storing a file past the limit, and the form
  then says so in words.
- The confirm step carries a signature of the preview (the file's temporary name and checksum,
  the uploader, the event chosen), so that confirming imports exactly what was previewed, by
  the person who previewed it — never another temporary file named in a forged form.
"""

from django.conf import settings
from django.core import signing
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

SIGNATURE_SALT = "events.meeting-import.confirm"
SIGNATURE_MAX_AGE = 24 * 60 * 60


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


def sign_preview(*, tmp_name, user, checksum, event):
    """What the confirm step may import: this temporary file, by this user, with these bytes,
    with this event for lines without one."""
    return signing.dumps(
        {"file": tmp_name, "user": user.pk, "checksum": checksum, "event": event and event.pk},
        salt=SIGNATURE_SALT,
    )


def read_signature(signature):
    """The signed preview, or None when it expired or was altered."""
    try:
        return signing.loads(signature, salt=SIGNATURE_SALT, max_age=SIGNATURE_MAX_AGE)
    except signing.BadSignature:
        return None
