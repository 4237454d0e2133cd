"""What an import found, line by line: the report the admin, the command and the record show.

Lines are named by their spreadsheet row (`row`; see rows.py), as the user sees them.

Plain dataclasses, filled by the planner and read by the templates and the command; they hold
ids and the file's own text, never model instances (100k lines must stay cheap).
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.importing.columns import COLUMNS
from events.importing.rows import FileLines
from events.models import ImportRecord


@dataclass(frozen=True)
class LineError:
    row: int
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class Unchanged:
    row: int
    meeting_id: int
    differences: tuple[str, ...]  # what the file says differently: "topic", "notes", …
    precision_note: str = ""  # "recorded in the CRM to the month (June 2022)"
    matched: str = "day"  # what matched: the same "day", or the "month" or "year" the CRM has


@dataclass
class Completed:
    """A line that completes a meeting the CRM holds only to the month or year: its date
    becomes the line's day, its empty topic, notes and follow-up are filled, the line's
    contacts are added. `fields` names what the import changes, `conflicts` the filled
    values the file gives differently (kept as they are, to reconcile by hand)."""

    row: int
    meeting_id: int
    fields: list[str]
    conflicts: tuple[str, ...]
    precision_note: str  # "recorded in the CRM to the month (June 2022)"

    @property
    def field_labels(self):
        return ", ".join(str(COLUMNS.get(name, name)) for name in self.fields)


@dataclass(frozen=True)
class VerdictLine:
    """One line of an import's verdict: how many lines had this outcome, and what it means."""

    key: str  # new, completed, unchanged, skipped, not-held, errors, contacts
    count: int
    label: str
    explanation: str


@dataclass(frozen=True)
class Skipped:
    row: int
    repeats_row: int
    differs: bool


@dataclass(frozen=True)
class NotHeld:
    """A line whose status says the meeting did not take place: no meeting, no contacts."""

    row: int
    status: str  # its label: "declined", "cancelled", "pending", "no-show"


@dataclass
class NewContact:
    first_name: str
    last_name: str
    organisation_id: int
    organisation: str
    rows: list[int] = field(default_factory=list)

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class PlannedMeeting:
    """What the preview shows of one new meeting; text exactly as the file has it."""

    row: int
    date: datetime.date
    event: str
    organisation: str
    contacts: str
    topic: str
    notes: str
    follow_up: str


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool
    file_description: str = ""
    checksum: str = ""
    size: int = 0
    file_error: str = ""
    errors: list[LineError] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    lines: int = 0
    created: int = 0
    completed: list[Completed] = field(default_factory=list)
    unchanged: list[Unchanged] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    not_held: list[NotHeld] = field(default_factory=list)
    new_contacts: list[NewContact] = field(default_factory=list)
    preview: list[PlannedMeeting] = field(default_factory=list)
    earlier_imports: list[ImportRecord] = field(default_factory=list)
    record: ImportRecord | None = None
    file_lines: FileLines = field(default_factory=FileLines)  # row -> line of a text file

    def where(self, row):
        """ "row 5", or "row 5 (file line 7)" after a cell spanning lines."""
        return self.file_lines.label(row)

    def file_line(self, row):
        return self.file_lines.line_of(row)

    @property
    def has_errors(self):
        return bool(self.file_error or self.errors)

    @property
    def error_lines(self):
        """How many lines have at least one error."""
        return len({error.row for error in self.errors})

    @property
    def unchanged_with_differences(self):
        return [item for item in self.unchanged if item.differences or item.precision_note]

    @property
    def skipped_count(self):
        """Lines not imported on purpose: repeats of an earlier line, and meetings not held."""
        return len(self.skipped) + len(self.not_held)

    @property
    def not_held_by_status(self):
        """{"declined": 3, …}, for the summary."""
        counts = {}
        for item in self.not_held:
            counts[item.status] = counts.get(item.status, 0) + 1
        return counts

    def verdict(self) -> list[VerdictLine]:
        """What the import does (or did, or would do), outcome by outcome. A file with errors
        writes nothing, so its verdict gives the errors alone, no figures of what would be."""
        if self.has_errors:
            explanation = _(
                "lines that cannot be imported as written: nothing is written until every one "
                "is corrected"
            )
            return [VerdictLine("errors", self.error_lines, _("Errors"), explanation)]
        if self.record is not None:
            new = _("meetings the CRM did not have: created")
        elif self.dry_run:
            new = _("meetings the CRM does not have yet: they would be created")
        else:
            new = _("meetings the CRM does not have yet: they will be created")
        lines = [
            VerdictLine("new", self.created, _("New"), new),
            VerdictLine(
                "completed",
                len(self.completed),
                _("Completed"),
                _(
                    "meetings the CRM holds only to the month or year: given the line's day, "
                    "their empty topic, notes and follow-up filled, the line's contacts added"
                ),
            ),
            VerdictLine(
                "unchanged", len(self.unchanged), _("Unchanged"), self.unchanged_explanation
            ),
            VerdictLine(
                "skipped",
                len(self.skipped),
                _("Skipped"),
                _("lines repeating a meeting given on an earlier line of this file"),
            ),
        ]
        if self.not_held:
            counts = ", ".join(f"{label}: {n}" for label, n in self.not_held_by_status.items())
            explanation = _("meetings that did not take place (%(counts)s): nothing imported")
            lines.append(
                VerdictLine(
                    "not-held",
                    len(self.not_held),
                    _("Skipped: not held"),
                    explanation % {"counts": counts},
                )
            )
        contacts = _("people the CRM does not know, created at the meeting's organisation")
        lines.append(VerdictLine("contacts", len(self.new_contacts), _("New contacts"), contacts))
        return lines

    @property
    def unchanged_explanation(self):
        """What the unchanged lines matched in the CRM, in words."""
        counts = {"day": 0, "month": 0, "year": 0}
        for item in self.unchanged:
            counts[item.matched] += 1
        parts = []
        if counts["day"]:
            parts.append(
                ngettext(
                    "%(count)s with the same organisation, event and day",
                    "%(count)s with the same organisation, event and day",
                    counts["day"],
                )
                % {"count": counts["day"]}
            )
        if counts["month"]:
            parts.append(
                _("%(count)s dated in the CRM only to the month of the line's day")
                % {"count": counts["month"]}
            )
        if counts["year"]:
            parts.append(
                _("%(count)s dated in the CRM only to the year of the line's day")
                % {"count": counts["year"]}
            )
        if not parts:
            return _("meetings already in the CRM: left exactly as they are")
        return _("already in the CRM, left exactly as they are: %(matches)s") % {
            "matches": "; ".join(parts)
        }

    @property
    def skipped_with_differences(self):
        return [item for item in self.skipped if item.differs]
