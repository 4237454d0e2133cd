"""A minimal reader of gettext .po files, enough to check our own catalogue.

It handles what `makemessages` writes: comments and flags, msgctxt, msgid, msgid_plural,
msgstr and msgstr[n], strings continued over several lines, and obsolete (#~) entries.
"""

import ast
import re
from dataclasses import dataclass, field

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$')


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict = field(default_factory=dict)  # {index: text}; index 0 for singular entries
    flags: set = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self):
        """The key Python's gettext catalogue uses for this entry."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"

    @property
    def translated(self):
        return bool(self.msgstr) and all(self.msgstr.values())


def _unquote(literal):
    return ast.literal_eval(literal)


def read(path):
    entries, entry, current = [], Entry(), None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if current is not None:
                entries.append(entry)
            entry, current = Entry(), None
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            line = line[2:].strip()
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        elif line.startswith("#"):
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, literal = match.groups()
            current = keyword
            value = _unquote(literal)
        elif line.startswith('"') and current:
            value = _unquote(line)
        else:
            raise ValueError(f"{path}: cannot read {raw!r}")
        if current.startswith("msgstr"):
            index = int(current[7:-1]) if "[" in current else 0
            entry.msgstr[index] = entry.msgstr.get(index, "") + value
        else:
            attribute = current
            setattr(entry, attribute, (getattr(entry, attribute) or "") + value)
    return entries
