"""The REST API under /api/v1/: every app's records, the meeting-log import, personal tokens.

It sits in the project package because it spans all the apps; it reuses their querysets,
FilterSets and import service rather than keeping copies of them.
"""
