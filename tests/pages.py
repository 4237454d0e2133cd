"""Helpers for reading list pages and their CSV downloads in tests."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext


def listed(response):
    """The rows a list page shows, as their text (str() of each record), in order."""
    assert response.status_code == 200, response.status_code
    return [str(row) for row in response.context["object_list"]]


def csv_rows(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.getvalue().decode("utf-8")  # streamed (core/exports.py)
    assert text.startswith("\ufeff"), "no byte-order mark"
    return list(csv.reader(io.StringIO(text[1:])))


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)
