"""What an import found, line by line: the report the admin, the command and the record show.

Plain dataclasses, filled by the planner and read by the templates and the command; they hold
ids and the file's own text, never model instances (100k lines must stay cheap).
"""

import datetime
from dataclasses import dataclass, field

from events.models import ImportRecord


@dataclass(frozen=True)
class LineError:
    line: int
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class Unchanged:
    line: int
    meeting_id: int
    differences: tuple[str, ...]  # what the file says differently: "topic", "notes", …
    precision_note: str = ""  # "recorded in the CRM to the month (June 2022)"


@dataclass(frozen=True)
class Skipped:
    line: int
    repeats_line: int
    differs: bool


@dataclass
class NewContact:
    first_name: str
    last_name: str
    organisation_id: int
    organisation: str
    lines: list[int] = field(default_factory=list)

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class PlannedMeeting:
    """What the preview shows of one new meeting; text exactly as the file has it."""

    line: int
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
    unchanged: list[Unchanged] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    new_contacts: list[NewContact] = field(default_factory=list)
    preview: list[PlannedMeeting] = field(default_factory=list)
    earlier_imports: list[ImportRecord] = field(default_factory=list)
    record: ImportRecord | None = None

    @property
    def has_errors(self):
        return bool(self.file_error or self.errors)

    @property
    def error_lines(self):
        """How many lines have at least one error."""
        return len({error.line for error in self.errors})

    @property
    def unchanged_with_differences(self):
        return [item for item in self.unchanged if item.differences or item.precision_note]

    @property
    def skipped_with_differences(self):
        return [item for item in self.skipped if item.differs]
