"""How much work one meeting log may ask for, and the refusal when it asks for more.

A log is a few thousand lines of short cells. A file that claims far more (a workbook that
expands to 50 million cells, a 1 GB shared string, a 50 MB CSV line) is refused with a clear
message before the work is done, so that memory stays bounded whatever is uploaded.
"""

CHUNK = 1 << 20
MAX_CELL = 32_767  # Excel's own limit for one cell's text
MAX_LINE = 1 << 20  # characters in one physical CSV line
MAX_COLUMNS = 200
MAX_ROWS = 500_000
HEADER_SEARCH_ROWS = 10  # the header is within the first ten non-blank rows
MAX_SHEET_XML = 64 << 20  # uncompressed bytes of one worksheet
MAX_SHARED_STRINGS_XML = 32 << 20
MAX_OTHER_PART = 8 << 20  # styles, workbook, relationships…
MAX_WORKBOOK_XML = 160 << 20  # all parts together
MAX_READING_SECONDS = 180


class FileRejected(Exception):
    """The file as a whole cannot be imported; the message says why, for its uploader."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
