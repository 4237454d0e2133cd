"""Loaded with `-p tests.debug_on` (pyproject's addopts) before pytest-django reads the
settings: the tests run the development configuration, which production never defaults to."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
