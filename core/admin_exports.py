"""The admin's "Export" (django-import-export), in bounded memory whatever the rows.

The library builds every export whole before its first byte: a tablib Dataset of every row,
then the file, with the rows read page by page by OFFSET when the resource prefetches (at a
million meetings: gigabytes of memory, and OFFSETs that grow with every page). Here:

- CSV streams. The same resource writes it (its headers, the fields chosen on the form, its
  `filter_export`, `export_field` for each cell: formula cells neutralised as before), as
  tablib would (`csv.writer`, comma, CRLF), from a cursor read in chunks with the chunk's
  prefetches, in one read-only transaction (core/exports.py says why). Same bytes, sent as
  they are made.
- A workbook cannot stream (a zip is complete only at its end): above
  EXPORT_XLSX_MAX_ROWS rows the form comes back saying so and offering the CSV, as the list
  pages do. Below, the library builds it as before.

Large exports are not queued as background tasks: a stream of a million rows needs no file
kept anywhere, starts at once, and costs the server a constant few MB; a task would hold the
whole file in storage and make people wait for it as long.

Written against django-import-export 4.4 (pinned in pyproject.toml): it overrides the
private `_do_file_export`, and tests/core/test_admin_exports.py fails when an upgrade
renames or re-signs a hook used here.
"""

import csv
import io
from itertools import islice

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV
from import_export.signals import post_export

from core.exports import CHUNK_SIZE, taken, xlsx_too_long


class BoundedExportMixin:
    """For a ModelAdmin with django-import-export's ExportMixin (put it before that one)."""

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        if isinstance(file_format, CSV):
            return self.streamed_csv_export(file_format, request, queryset, export_form)
        if xlsx_too_long(queryset):
            # The library shows a ValueError's message above its export form, kept as filled.
            raise ValueError(
                _(
                    "This export has more than %(limit)s rows, the most a workbook holds: "
                    "choose CSV, which streams any number of rows, or filter the list first."
                )
                % {"limit": number_format(settings.EXPORT_XLSX_MAX_ROWS, force_grouping=True)}
            )
        return super()._do_file_export(file_format, request, queryset, export_form=export_form)

    def streamed_csv_export(self, file_format, request, queryset, export_form=None):
        if not self.has_export_permission(request):  # as the library's get_export_data
            raise PermissionDenied
        resource_class = self.choose_export_resource_class(export_form, request)
        resource = resource_class(
            **self.get_export_resource_kwargs(request, export_form=export_form)
        )
        selected = self.get_export_resource_fields_from_form(export_form)
        fields = resource.get_export_fields(selected)
        headers = resource.get_export_headers(selected_fields=selected)
        rows = resource.filter_export(queryset)
        language = get_language()

        def lines():
            # Streaming runs after the view returns: keep the request's language for the cells.
            with translation.override(language):
                buffer = io.StringIO()
                writer = csv.writer(buffer)
                writer.writerow(headers)
                yield taken(buffer)
                with transaction.atomic(using=rows.db):
                    rows_left = rows.iterator(chunk_size=CHUNK_SIZE)
                    while chunk := list(islice(rows_left, CHUNK_SIZE)):
                        writer.writerows(
                            [resource.export_field(field, row) for field in fields] for row in chunk
                        )
                        for row in chunk:  # free each row now, not when the collector runs
                            vars(row).pop("_prefetched_objects_cache", None)
                        yield taken(buffer)

        response = StreamingHttpResponse(lines(), content_type=file_format.get_content_type())
        filename = self.get_export_filename(request, rows, file_format)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        post_export.send(sender=None, model=self.model)
        return response
