"""Downloads of the list pages, CSV and Excel: exactly the filtered, sorted rows.

- CSV in UTF-8 with a byte-order mark (Excel then reads accents right), separated by `;`
  in French (what French Excel expects on a double-click) and `,` in English.
- XLSX with real date cells, a frozen bold header row and columns as wide as their text.
- Dates as dates (ISO 2022-06-14 in CSV), with their precision in the next column where
  a source gives only a month or a year, so that they sort and filter in a spreadsheet.
- Every text cell passes through `neutralise_formula` (see core/spreadsheets.py).

Both are written as the rows come, in constant memory whatever their number: the CSV streams
(its first byte leaves at once). A list's columns say what they read, and a queryset is read
as plain tuples (`values_list()`, in chunks of CHUNK_SIZE), never as model instances: building
instances, and a prefetch manager per relation per row, was most of the time of a million-row
CSV (over 900 s on the shared bench machine; 212 s read as values). Each chunk is then computed
a column at a time (labels looked up by `map()`, a text column checked by one call per cell),
not a function call per cell and per step. A column is

- a field path (`"organisation__name"`), read with the row;
- an `ExportValue`, which `prepare()`s its row function once per export: labels of choices,
  countries, date precisions and yes/no are translated then, not once per row; one that
  needs other tables (`names()`, `PerChunk`) reads them once per chunk, by the chunk's ids,
  in one query (the query count depends on the chunks, never on the rows);
- or a function of the row, for rows that are not a queryset (the report's figures).

An XLSX file cannot stream (a zip is complete only at its end, and openpyxl keeps every
distinct string in memory), so a workbook holds at most EXPORT_XLSX_MAX_ROWS rows; the list
page sends larger lists to the CSV (core/views.py).
"""

import csv
import datetime
import io
import tempfile
from collections import defaultdict
from itertools import chain, islice
from operator import itemgetter
from types import NoneType
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django_countries import countries

from core.models import DatePrecision, among
from core.spreadsheets import neutralise_formula, neutralised_column

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDEST_COLUMN = 60  # characters; longer text wraps in Excel rather than widening the sheet
# Rows read from the database at a time, and written to the stream at a time (a few hundred
# KB); each chunk runs its columns' related queries once.
CHUNK_SIZE = 2000
# At most this many related objects' names are kept from chunk to chunk (a few MB), so
# that the memory of an export does not grow with its rows.
NAMES_KEPT = 50_000
# A workbook's widths are fitted to its header and this many first rows (write-only
# sheets need them before any row).
ROWS_MEASURED = 1000


class Column(NamedTuple):
    header: str
    value: object  # a field path, an ExportValue, or a function of the row


class ExportValue:
    """A column value that needs work once per export (translating labels) before it is
    computed for each chunk of rows, a whole column at a time. `fields` are the paths it
    reads with each row."""

    fields = ()

    def prepare(self, model=None):
        """The function of a chunk's columns ({field path: its values, in row order})
        giving this column's values; `model` is the rows'."""
        raise NotImplementedError


class Field(ExportValue):
    def __init__(self, path):
        self.fields = (path,)

    def prepare(self, model=None):
        return itemgetter(self.fields[0])


class Lookup(dict):
    """A translation table for `map()`: a column's values are looked up in C, and one
    that is not a key gives `missing(value)` (the value itself by default)."""

    def __init__(self, items, missing=lambda value: value):
        super().__init__(items)
        self.missing = missing

    def __missing__(self, value):
        return self.missing(value)

    def column(self, values):
        return list(map(self.__getitem__, values))


class Label(ExportValue):
    """The label of a choice at `path` ("kind", "organisation__kind"), as get_*_display()
    gives it, translated once per export."""

    def __init__(self, path, choices):
        self.fields, self.choices = (path,), choices

    def prepare(self, model=None):
        labels = Lookup((value, str(label)) for value, label in self.choices)
        path = self.fields[0]
        return lambda columns: labels.column(columns[path])


class CountryName(ExportValue):
    """The name of the country at `path` ("country", "organisation__country"), in the
    export's language: the country list is translated once, not per row."""

    def __init__(self, path):
        self.fields = (path,)

    def prepare(self, model=None):
        names = Lookup(countries, missing=lambda code: "")  # no country, or an unknown one
        path = self.fields[0]
        return lambda columns: names.column(columns[path])


class Precision(ExportValue):
    def __init__(self, date_path, precision_path):
        self.fields = (date_path, precision_path)

    def prepare(self, model=None):
        labels = {value: str(label) for value, label in DatePrecision.choices}
        date_path, precision_path = self.fields

        def precisions(columns):
            return [
                labels[precision] if date else ""
                for date, precision in zip(columns[date_path], columns[precision_path], strict=True)
            ]

        return precisions


class PerChunk(ExportValue):
    """A value read for a whole chunk of rows at once: `load(ids)` gives {row id: value}
    in one query (columns with the same `load` share it); `pick` takes one part of that
    value (an index), and rows it leaves out get `default`."""

    def __init__(self, load, pick=None, default=""):
        self.load, self.pick, self.default = load, pick, default

    def prepare(self, model=None):
        return ChunkReader(self)


class ChunkReader:
    def __init__(self, column):
        self.load, self.pick = column.load, column.pick
        default = column.default
        self.default = str(default) if isinstance(default, Promise) else default  # translated
        self.values = {}

    def __call__(self, columns):
        values, pick, default = self.values, self.pick, self.default
        if pick is None:
            return [values.get(pk, default) for pk in columns["pk"]]
        return [
            default if (value := values.get(pk, MISSING)) is MISSING else value[pick]
            for pk in columns["pk"]
        ]


MISSING = object()


def label(path, choices):
    return Label(path, choices)


def country_name(path):
    return CountryName(path)


class Names(ExportValue):
    """The names (`str()`) of each row's related objects at `relation` (many-to-many or
    reverse foreign key), joined by "; " in their model's order, as
    `"; ".join(str(o) for o in row.relation.all())` gives them: read once per chunk, by
    keys (the links, the objects no earlier chunk met, the order of those that share a
    row), where a join let PostgreSQL hash a whole table for each chunk."""

    def __init__(self, relation):
        self.relation = relation

    def prepare(self, model=None):
        field = model._meta.get_field(self.relation)
        objects = field.related_model._default_manager
        if field.many_to_many:  # a many-to-many field of the rows' model
            through = field.remote_field.through
            own, other = (
                through._meta.get_field(name).attname
                for name in (field.m2m_field_name(), field.m2m_reverse_field_name())
            )

            known = {}  # the str() of the objects met in earlier chunks, by key

            def load(ids):
                # Unordered: a row's names are sorted below, and a through model's ordering
                # (memberships by network and member name) joined and sorted two tables per chunk.
                links = through._base_manager.filter(among(own, ids)).order_by()
                targets = defaultdict(list)
                for row, target in links.values_list(own, other):
                    targets[row].append(target)
                if len(known) > NAMES_KEPT:
                    known.clear()
                # Only the objects that no earlier chunk met are built, for their str() (all
                # of them took a third of the time of a million meetings: the same few
                # thousand people, chunk after chunk); the default manager's, as in .all().
                wanted = {target for row_targets in targets.values() for target in row_targets}
                if new := [target for target in wanted if target not in known]:
                    known.update((item.pk, str(item)) for item in objects.filter(among("pk", new)))
                # Their model's order, by keys alone, where a row has more than one.
                several = {t for row_targets in targets.values() if len(row_targets) > 1
                           for t in row_targets}  # fmt: skip
                rank = objects.filter(among("pk", several)).values_list("pk", flat=True)
                rank = {pk: n for n, pk in enumerate(rank)} if several else {}
                names = {}
                for row, row_targets in targets.items():
                    if len(row_targets) > 1:
                        row_targets = sorted((t for t in row_targets if t in rank), key=rank.get)
                    # Not hidden by the default manager (nor gone since an earlier chunk).
                    found = [known[target] for target in row_targets if target in known]
                    if found:
                        names[row] = "; ".join(found)
                return names

        else:
            own = field.field.attname

            def load(ids):
                by_row = defaultdict(list)
                for item in objects.filter(among(own, ids)):
                    by_row[getattr(item, own)].append(str(item))
                return {row: "; ".join(items) for row, items in by_row.items()}

        return ChunkReader(PerChunk(load))


def names(relation):
    return Names(relation)


def dated(header, date_path, precision_path):
    """Two columns for a date known to the day, month or year: the date itself (the first
    day of what is known) and how precise it is."""
    return [
        Column(header, date_path),
        Column(
            format_lazy(gettext_lazy("{label} (precision)"), label=header),
            Precision(date_path, precision_path),
        ),
    ]


def as_export_value(value):
    if isinstance(value, str):
        return Field(value)
    return value


def prepared(columns, model=None):
    """The functions of `columns`, with every label translated for this export: of a
    chunk's columns for a queryset's rows, of a row for other rows."""
    return [
        value.prepare(model) if isinstance(value, ExportValue) else value
        for value in (as_export_value(value) for _header, value in columns)
    ]


def chunks_of(columns, rows):
    """The rows' values, a chunk of at most CHUNK_SIZE rows at a time, as a list of
    columns (each the list of its values, in row order).

    Column by column, a value of a million-row export costs a few C calls per chunk where
    a function per cell cost over 10 s. A queryset is read as tuples (`values_list()`) of
    the columns' fields, in one read-only transaction:
    on PostgreSQL the rows then come from a cursor that produces them as they are fetched.
    Outside a transaction Django declares it WITH HOLD, and PostgreSQL computes every row at
    once before the first (a million meetings: one statement of tens of seconds, past the
    web requests' statement timeout, and the server's memory or disk holding the result)."""
    values = prepared(columns, rows.model if isinstance(rows, QuerySet) else None)
    per_chunk = [value for value in values if isinstance(value, ChunkReader)]
    if not isinstance(rows, QuerySet):
        rows_left = iter(rows)
        while chunk := list(islice(rows_left, CHUNK_SIZE)):
            yield [[value(row) for row in chunk] for value in values]
        return
    fields = {"pk": None}  # ordered, without repeats
    for _header, value in columns:
        fields.update(dict.fromkeys(as_export_value(value).fields))
    queryset = rows.prefetch_related(None).values_list(*fields)
    with transaction.atomic(using=queryset.db):
        rows_left = queryset.iterator(chunk_size=CHUNK_SIZE)
        while chunk := list(islice(rows_left, CHUNK_SIZE)):
            by_field = dict(zip(fields, zip(*chunk, strict=True), strict=True))
            if per_chunk:
                ids = by_field["pk"]
                loaded = {}
                for reader in per_chunk:
                    if reader.load not in loaded:
                        loaded[reader.load] = reader.load(ids)
                    reader.values = loaded[reader.load]
            yield [value(by_field) for value in values]


def csv_separator():
    return ";" if (get_language() or "").startswith("fr") else ","


def csv_response(filename, columns, rows):
    """An attachment of `rows` as CSV, one column per (header, value) in `columns`,
    streamed as the rows are read."""
    headers = [header for header, _value in columns]
    lines = csv_lines(headers, columns, rows, delimiter=csv_separator())
    response = StreamingHttpResponse(
        chain(["\ufeff"], lines), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_lines(headers, columns, rows, **dialect):
    """The CSV text of `rows` as it is made: `headers`, then a chunk of rows at a time, by
    `csv.writer` with `dialect` (Excel's by default: commas and CRLF). Every cell goes
    through `CellText.csv`; it runs in the language of the caller, not of whoever
    iterates it (a streamed response runs after its view has returned)."""
    language = get_language()
    headers = [neutralise_formula(str(header)) for header in headers]

    def lines():
        with translation.override(language):
            cells = CellText().csv_column
            buffer = io.StringIO()
            writer = csv.writer(buffer, **dialect)
            writer.writerow(headers)
            yield taken(buffer)
            for chunk in chunks_of(columns, rows):
                writer.writerows(zip(*[cells(column) for column in chunk], strict=True))
                yield taken(buffer)

    return lines()


def taken(buffer):
    """What was written to `buffer`, which is emptied."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


class CellText:
    """Cell values as a spreadsheet shows them; Yes and No translated once per export."""

    def __init__(self):
        self.yes, self.no = _("Yes"), _("No")

    def text(self, value):
        if value is None:
            return ""
        if isinstance(value, bool):
            return self.yes if value else self.no
        if isinstance(value, int | float):
            return value
        return str(value)

    def csv(self, value):
        if type(value) is str:  # most cells: straight to the one check they need
            return neutralise_formula(value)
        if isinstance(value, datetime.date):
            return value.isoformat()
        return neutralise_formula(self.text(value))

    def csv_column(self, values):
        """`csv()` of each of a column's values. A column of text (most) calls only the
        check it needs, and one of integers none: None is written empty as "" is."""
        kinds = set(map(type, values))
        kinds.discard(NoneType)
        if kinds <= {str}:
            return neutralised_column(values)
        if kinds <= {int}:  # True and False are of their own type, bool
            return values
        return list(map(self.csv, values))

    def xlsx(self, value):
        if isinstance(value, datetime.date | int | float) and not isinstance(value, bool):
            return value  # openpyxl gives dates the yyyy-mm-dd format
        # Never a formula: neutralise_formula prefixes any text that starts with "=".
        return neutralise_formula(self.text(value))


def csv_cell(value):
    return CellText().csv(value)


def cell_text(value):
    return CellText().text(value)


def xlsx_cell(value):
    return CellText().xlsx(value)


def xlsx_response(filename, columns, rows):
    """The same rows as a workbook: typed cells, frozen bold header, fitted widths. Written
    row by row (openpyxl's write-only mode) to a temporary file, which is then sent."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    cell = CellText()
    lines = (
        [cell.xlsx(value) for value in line]
        for chunk in chunks_of(columns, rows)
        for line in zip(*chunk, strict=True)
    )
    first = list(islice(lines, ROWS_MEASURED))
    headers = [str(header) for header, _value in columns]
    for number, header in enumerate(headers, start=1):
        width = max([len(header), *(len(str(line[number - 1] or "")) for line in first)])
        sheet.column_dimensions[get_column_letter(number)].width = min(width + 2, WIDEST_COLUMN)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = [WriteOnlyCell(sheet, value=neutralise_formula(h)) for h in headers]
    for header_cell in header_cells:
        header_cell.font = bold
    sheet.append(header_cells)
    for line in first:
        sheet.append(line)
    for line in lines:
        sheet.append(line)
    content = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    workbook.save(content)
    content.seek(0)
    response = FileResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_too_long(rows):
    """Whether `rows` has more than a workbook may hold (EXPORT_XLSX_MAX_ROWS), counting no
    further than that."""
    limit = settings.EXPORT_XLSX_MAX_ROWS
    if isinstance(rows, QuerySet):
        return rows[: limit + 1].count() > limit
    return len(rows) > limit


EXPORTERS = {"csv": csv_response, "xlsx": xlsx_response}
