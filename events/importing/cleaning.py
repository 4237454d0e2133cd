"""Cell text as the user sees it: invisible characters dropped, Unicode spaces as spaces.

A zero-width space pasted from a web page, a soft hyphen from Word or a stray byte-order
mark in the middle of a file are invisible in a spreadsheet, yet would make "Merck" unknown.
Every header and value goes through `clean_text()` (NFKC, so a no-break or thin space is a
space, then format characters dropped); ASCII text, nearly every cell, is returned as is.
"""

import itertools
import re
import unicodedata

# Unicode "format" characters (category Cf): zero-width spaces and joiners, soft hyphen,
# byte-order mark, direction marks… Computed once.
_INVISIBLE = dict.fromkeys(
    code
    for code in itertools.chain(range(0x20000), range(0xE0000, 0xE1000))
    if unicodedata.category(chr(code)) == "Cf"
)


def _ranges(codes):
    """A regular expression character class of `codes`, consecutive codes as ranges."""
    runs, codes = [], sorted(codes)
    for code in codes:
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in runs) + "]"


# Searching for them is C-speed; translating every accented cell with a dict is not (accented
# cells are a good share of a French log). A class holding the few beyond U+FFFF is searched
# six times slower: text is first searched for those within, or any character beyond.
_HAS_INVISIBLE = re.compile(_ranges(_INVISIBLE))
_MAY_HAVE_INVISIBLE = re.compile(
    _ranges(code for code in _INVISIBLE if code <= 0xFFFF)[:-1] + "\U00010000-\U0010ffff]"
)


def _has_invisible(text):
    return bool(_MAY_HAVE_INVISIBLE.search(text) and _HAS_INVISIBLE.search(text))


def clean_text(text):
    if type(text) is not str or text.isascii():
        return text
    if _has_invisible(text):
        text = text.translate(_INVISIBLE)
    return unicodedata.normalize("NFKC", text)


def is_clean(text):
    """Whether `clean_text()` returns `text` as it is, at C speed. On a line's cells joined
    by a control character (which composes with nothing) it says whether any needs cleaning."""
    return text.isascii() or (not _has_invisible(text) and unicodedata.is_normalized("NFKC", text))


def is_blank(cells):
    """No cell with anything but spaces, whatever the row's width (";;;;;;" included)."""
    for cell in cells:
        if cell is None:
            continue
        if type(cell) is not str or cell.strip():
            if type(cell) is str and not clean_text(cell).strip():
                continue
            return False
    return True
