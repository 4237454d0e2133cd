import argparse
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.importing import import_meeting_log
from events.models import Event, ImportRecord


class Command(BaseCommand):
    help = _(
        "Import a meeting log (CSV, TSV, TXT or XLSX). All or nothing: a file with any error "
        "writes nothing and every bad line is listed. Exits with status 1 on any error."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("the meeting log to import"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("check the file and print the summary, but write nothing"),
        )
        parser.add_argument(
            "--user",
            help=_("username the import is recorded and attributed to (needs the import right)"),
        )
        parser.add_argument(
            "--event",
            help=_("event (name or alias) of lines that name none, e.g. for partnering exports"),
        )
        parser.add_argument(
            "--date-order",
            choices=["dmy", "mdy"],
            help=_("read dates such as 03/04/2022 day first (dmy) or month first (mdy)"),
        )
        parser.add_argument(
            "--encoding",
            help=_("read a text file in this encoding (utf-8, utf-16, cp1252, mac_roman…)"),
        )
        parser.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help=_("show a progress bar on stderr (default: when stderr is a terminal)"),
        )

    def handle(self, *args, path, dry_run, user, event, progress, **options):
        reading = {"date_order": options["date_order"], "encoding": options["encoding"]}
        path = Path(path)
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        user = self._user(user)
        default_event = self._event(event)
        if progress is None:
            progress = self.stderr.isatty()
        bar = ProgressBar(self.stderr, path.name) if progress else None
        try:
            with path.open("rb") as stream:
                report = import_meeting_log(
                    stream=stream,
                    file_name=path.name,
                    user=user,
                    source=ImportRecord.Source.COMMAND,
                    dry_run=dry_run,
                    default_event=default_event,
                    progress=bar,
                    **reading,
                )
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}
            ) from None
        if bar:
            bar.done()
        if report.file_error:
            raise CommandError(report.file_error)
        self._print_summary(report)
        if report.errors:
            for error in report.errors:
                self.stderr.write(
                    _("%(where)s, %(column)s “%(value)s”: %(reason)s")
                    % {
                        "where": report.where(error.row),
                        "column": error.column or _("(beyond the last column)"),
                        "value": error.value,
                        "reason": error.reason,
                    }
                )
            raise CommandError(
                ngettext(
                    "Nothing was imported: %(count)s line has errors (listed above).",
                    "Nothing was imported: %(count)s lines have errors (listed above).",
                    report.error_lines,
                )
                % {"count": report.error_lines}
            )
        if dry_run:
            self.stdout.write(_("Dry run: the file is valid; nothing was written."))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Recorded as import #%(number)s.") % {"number": report.record.pk}
                )
            )

    def _user(self, username):
        if not username:
            return None
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username}, is_active=True)
        except User.DoesNotExist:
            raise CommandError(_("No active user “%(name)s”.") % {"name": username}) from None
        if not user.has_perm("events.import_meeting"):
            raise CommandError(
                _("%(name)s may not import meeting logs (no “Can import meeting logs” right).")
                % {"name": username}
            )
        return user

    def _event(self, name):
        if not name:
            return None
        events = list(Event.objects.named(name)[:2])
        if len(events) != 1:
            raise CommandError(
                _("No single event is called “%(name)s” (by name or alias).") % {"name": name}
            )
        return events[0]

    def _print_summary(self, report):
        write = self.stdout.write
        write(
            _("%(file)s (%(description)s): %(lines)s meeting lines")
            % {
                "file": report.file_name,
                "description": report.file_description,
                "lines": report.lines,
            }
        )
        if report.earlier_imports:
            write(
                _("Note: this exact file was imported before: %(imports)s.")
                % {
                    "imports": ", ".join(
                        f"#{record.pk} ({record.created_at:%Y-%m-%d})"
                        for record in report.earlier_imports
                    )
                }
            )
        if report.unknown_columns:
            write(
                _("Columns not imported (unknown headers): %(columns)s")
                % {"columns": ", ".join(f"“{column}”" for column in report.unknown_columns)}
            )
        for label, count in self._counts(report):
            write(f"  {count:>9,}  {label}")
        if report.errors:
            return  # a file with errors writes nothing: no figures of what it would do
        if report.unchanged:
            write("    " + report.unchanged_explanation)
        self._print_completed(report)
        for contact in report.new_contacts:
            write(
                "    "
                + _("new contact: %(name)s (%(organisation)s), %(rows)s")
                % {
                    "name": contact.full_name,
                    "organisation": contact.organisation,
                    "rows": ", ".join(report.where(row) for row in contact.rows),
                }
            )
        for item in report.unchanged_with_differences:
            details = list(item.differences)
            if item.precision_note:
                details.append(item.precision_note)
            write(
                "    "
                + _("%(where)s: already in the CRM, kept as it is (file differs: %(what)s)")
                % {"where": report.where(item.row), "what": ", ".join(details)}
            )
        for item in report.skipped_with_differences:
            write(
                "    "
                + _("%(where)s: repeats %(first)s with different details; not imported")
                % {"where": report.where(item.row), "first": report.where(item.repeats_row)}
            )

    def _print_completed(self, report):
        write = self.stdout.write
        for item in report.completed:
            write(
                "    "
                + _("%(where)s: completes the meeting %(note)s: %(fields)s")
                % {
                    "where": report.where(item.row),
                    "note": item.precision_note,
                    "fields": item.field_labels,
                }
            )
            if item.conflicts:
                write(
                    "      "
                    + _("already filled and different in the file, kept: %(fields)s")
                    % {"fields": ", ".join(item.conflicts)}
                )
        for item in report.not_held:
            write(
                "    "
                + _("%(where)s: not held (%(status)s)")
                % {"where": report.where(item.row), "status": item.status}
            )

    def _counts(self, report):
        if report.errors:
            return [(_("lines with errors"), report.error_lines)]
        not_held = ", ".join(f"{label} {n}" for label, n in report.not_held_by_status.items())
        return [
            (_("would be new") if report.dry_run else _("new"), report.created),
            (_("completed (dated only to the month or year in the CRM)"), len(report.completed)),
            (_("unchanged (already in the CRM)"), len(report.unchanged)),
            (_("skipped (repeat an earlier line)"), len(report.skipped)),
            *(
                [
                    (
                        _("skipped (not held: %(statuses)s)") % {"statuses": not_held},
                        len(report.not_held),
                    )
                ]
                if report.not_held
                else []
            ),
            (_("new contacts"), len(report.new_contacts)),
        ]


class ProgressBar:
    """One line on stderr: the stage, a bar, the share done, the time so far; redrawn at most
    ten times a second, and on each new stage."""

    WIDTH = 30

    def __init__(self, stream, name):
        self.stream = stream
        self.name = name
        self.stage = None
        self.last = 0.0
        self.started = time.monotonic()

    def __call__(self, stage, fraction):
        now = time.monotonic()
        if stage == self.stage and now - self.last < 0.1 and fraction < 1:
            return
        if self.stage is not None and stage != self.stage:
            self.stream.write("")  # keep the finished stage's line
        self.stage, self.last = stage, now
        filled = int(self.WIDTH * fraction)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(
            f"\r{self.name}: {stage:<25} [{bar}] {fraction:4.0%} {now - self.started:6.1f}s",
            ending="",
        )
        self.stream.flush()

    def done(self):
        self.stream.write("")
