"""Reading a text log's bytes: which encoding they are in, and their rows.

Spreadsheets save CSV as UTF-8 (with or without a byte-order mark), UTF-16 with a mark
(Excel's "Unicode text"), Windows-1252 (Excel on Windows in French) or Mac Roman (Excel for
Mac, whose signature is lines ending in a bare CR). Legacy single-byte files carry no mark,
so charset-normalizer says which of the two decodes to plausible text; when neither or both
do, the file is refused with the candidates named, never imported as "ThŽrapies".
"""

import codecs
import csv
import hashlib
import re

import charset_normalizer
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from events.importing.limits import CHUNK, MAX_CELL, MAX_LINE, FileRejected
from events.importing.rows import row_label

LEGACY = {"cp1252": "Windows-1252", "mac_roman": "Mac Roman"}
LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", **LEGACY}
# A text is plausible when charset-normalizer measures (almost) no "chaos" in it: mojibake
# such as "ThŽrapies" or "Jšrg MŸller" scores 0.08 and more.
PLAUSIBLE_CHAOS = 0.03
SAMPLE = 1 << 16
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


def _line_breaks(data):
    """Line ends in bytes: LF, CRLF and a bare CR (Excel for Mac) each count once."""
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def _high_lines(chunk, budget):
    """The lines of a chunk holding non-ASCII bytes (what tells encodings apart), up to
    `budget` bytes, each cut to 1,000: the sample charset-normalizer judges."""
    sample, position = b"", 0
    while len(sample) < budget and (found := _HIGH_BYTE.search(chunk, position)):
        at = found.start()
        start = max(chunk.rfind(b"\n", 0, at), chunk.rfind(b"\r", 0, at)) + 1
        ends = [end for end in (chunk.find(b"\n", at), chunk.find(b"\r", at)) if end >= 0]
        end = min(ends) if ends else len(chunk)
        sample += chunk[start:end][:1000] + b"\n"
        position = end
    return sample


class _Scan:
    """What one pass over the bytes learns: checksum, size, line ends, decodability."""

    def __init__(self, stream, codecs_to_try):
        self.digest, self.size, self.sample = hashlib.sha256(), 0, b""
        self.failed, self.utf8_sequences, self.bare_cr, self.lf = {}, False, 0, 0
        decoders = {name: codecs.getincrementaldecoder(name)() for name in codecs_to_try}
        line = 1
        while chunk := stream.read(CHUNK):
            self.digest.update(chunk)
            self.size += len(chunk)
            if b"\x00" in chunk and "utf-16" not in decoders:
                raise FileRejected(
                    _(
                        "This is not a text file (it contains binary data). Import a CSV, "
                        "TSV, TXT or XLSX meeting log."
                    )
                )
            for name, decoder in list(decoders.items()):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as error:
                    self.failed[name] = line + _line_breaks(chunk[: error.start])
                    del decoders[name]
            if not chunk.isascii():  # only non-ASCII bytes tell encodings apart
                if len(self.sample) < SAMPLE:
                    self.sample += _high_lines(chunk, SAMPLE - len(self.sample))
                if not self.utf8_sequences:
                    self.utf8_sequences = bool(_UTF8_SEQUENCE.search(chunk))
            self.bare_cr += chunk.count(b"\r") - chunk.count(b"\r\n")
            self.lf += chunk.count(b"\n")
            line += _line_breaks(chunk)
        for name, decoder in decoders.items():
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self.failed[name] = line
        self.readable = [name for name in codecs_to_try if name not in self.failed]
        stream.seek(0)


def detect_encoding(stream, forced=None):
    """(checksum, size, codec, label, notes) for a text file, or FileRejected."""
    first = stream.read(4)
    stream.seek(0)
    if forced:
        return _forced(stream, forced)
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        scan = _Scan(stream, ["utf-16"])
        return _decided(scan, "utf-16")
    bom = first.startswith(codecs.BOM_UTF8)
    utf8 = "utf-8-sig" if bom else "utf-8"
    scan = _Scan(stream, [utf8])
    if utf8 in scan.readable:
        return _decided(scan, utf8)
    # Not UTF-8: a second pass tries the legacy encodings too (trying all three on every
    # file cost a UTF-8 log two more decodings of all its bytes).
    scan = _Scan(stream, [utf8, *LEGACY])
    if bom or scan.utf8_sequences:
        # Mostly UTF-8 with a stray byte (a line pasted from a Windows-1252 file): reading
        # the whole file as Windows-1252 would write "JÃ©rÃ´me" everywhere else.
        raise FileRejected(
            _(
                "The file is UTF-8 text except on line %(line)s, whose accents are in another "
                "encoding (probably pasted from another file). Retype that line's accented "
                "letters, or save the file again as “CSV UTF-8”, and import it again."
            )
            % {"line": scan.failed[utf8]}
        )
    return _decided(scan, _legacy_choice(scan))


def _legacy_choice(scan):
    results = charset_normalizer.from_bytes(scan.sample, cp_isolation=list(LEGACY))
    chaos = {match.encoding: match.chaos for match in results}
    plausible = [
        name for name in LEGACY if name in scan.readable and chaos.get(name, 1.0) <= PLAUSIBLE_CHAOS
    ]
    if len(plausible) == 2 and scan.bare_cr and not scan.lf:
        plausible = ["mac_roman"]  # lines ending in a bare CR: Excel for Mac's signature
    if len(plausible) == 1:
        return plausible[0]
    if not plausible:
        raise FileRejected(
            _(
                "The file is neither UTF-8, Windows-1252 nor Mac Roman text (unreadable "
                "characters on line %(line)s). Save it from Excel as “CSV UTF-8” and import "
                "it again."
            )
            % {"line": scan.failed.get("utf-8", 1)}
        )
    first_line = scan.sample.split(b"\n", 1)[0][:80]
    raise FileRejected(
        _(
            "The file's encoding is unclear: it reads as Windows-1252 (“%(cp1252)s”) or as "
            "Mac Roman (“%(mac_roman)s”). Choose the encoding (the admin's “Encoding” option, "
            "or --encoding cp1252|mac_roman), or save the file as “CSV UTF-8”."
        )
        % {name: first_line.decode(name, "replace") for name in LEGACY}
    )


def _forced(stream, forced):
    try:
        codec = codecs.lookup(forced).name
    except LookupError:
        raise FileRejected(_("Unknown encoding “%(encoding)s”.") % {"encoding": forced}) from None
    scan = _Scan(stream, [codec])
    if codec in scan.failed:
        raise FileRejected(
            _("The file is not %(encoding)s text: line %(line)s cannot be read in it.")
            % {"encoding": forced, "line": scan.failed[codec]}
        )
    return _decided(scan, codec, chosen=True)


def _decided(scan, codec, chosen=False):
    if codec in scan.failed:
        raise FileRejected(
            _("The file is not %(encoding)s text: line %(line)s cannot be read in it.")
            % {"encoding": LABELS.get(codec, codec), "line": scan.failed[codec]}
        )
    notes = []
    if chosen:
        notes.append(
            _("Encoding %(encoding)s, as chosen.") % {"encoding": LABELS.get(codec, codec)}
        )
    return scan.digest.hexdigest(), scan.size, codec, LABELS.get(codec, codec), notes


def bounded_lines(text):
    """The text's lines (ending in LF, CRLF or a bare CR), refusing any longer than MAX_LINE
    before it is read whole: a 50 MB line never reaches memory."""
    number = 0
    while line := text.readline(MAX_LINE):
        number += 1
        if len(line) >= MAX_LINE and not line.endswith(("\n", "\r")):
            raise FileRejected(
                _(
                    "Line %(line)s is longer than %(size)s characters: this is not a meeting "
                    "log (or its quotes are unbalanced)."
                )
                % {"line": number, "size": f"{MAX_LINE:,}"}
            )
        yield line


def csv_rows(text, delimiter):
    """(record number, line the record starts on, cells) for every record, blank ones
    included: the record number is the row a spreadsheet shows it on, the line where the
    file has it (they differ after a quoted cell spanning lines). A cell beyond what a
    spreadsheet can hold, or a record the csv module cannot read, is refused."""
    reader = csv.reader(bounded_lines(text), delimiter=delimiter, strict=False)
    previous = record = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise FileRejected(
                _("%(where)s cannot be read: a cell there is longer than %(size)s characters.")
                % {"where": capfirst(row_label(record + 1, previous + 1)), "size": f"{MAX_CELL:,}"}
            ) from None
        record += 1
        line, previous = previous + 1, reader.line_num
        if not cells or max(map(len, cells)) <= MAX_CELL:  # the usual case, at C speed
            yield record, line, cells
            continue
        for cell in cells:
            if len(cell) > MAX_CELL:
                raise FileRejected(
                    _(
                        "%(where)s has a cell of %(length)s characters; a spreadsheet cell "
                        "holds at most %(size)s."
                    )
                    % {
                        "where": capfirst(row_label(record, line)),
                        "length": f"{len(cell):,}",
                        "size": f"{MAX_CELL:,}",
                    }
                )
        yield record, line, cells
