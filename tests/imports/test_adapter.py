"""The django-import-export hooks our adapter overrides still exist, as it was written for.

events/importing/adapter.py overrides private parts of django-import-export 4.4's admin
flow. A new version that renames, removes or re-signs one of them would break the import
silently (the library would simply stop calling our code), so each is checked here by name
and signature, and the installed version against the pin in pyproject.toml.
"""

import inspect
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import Format
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.resources import ModelResource
from import_export.results import Result, RowResult
from import_export.tmp_storages import BaseStorage
from packaging.requirements import Requirement

from events.importing import adapter

# (library class, hook): its signature in the version the adapter was written against.
HOOKS = {
    (ImportExportMixin, "import_action"): "(self, request, **kwargs)",
    (ImportExportMixin, "get_import_form_kwargs"): "(self, request)",
    (ImportExportMixin, "get_confirm_form_kwargs"): "(self, request, import_form=None)",
    (ImportExportMixin, "get_confirm_form_initial"): "(self, request, import_form)",
    (ImportExportMixin, "get_import_data_kwargs"): "(self, **kwargs)",
    (ImportExportMixin, "write_to_tmp_storage"): "(self, import_file, input_format)",
    (ImportExportMixin, "process_result"): "(self, result, request)",
    (ImportExportMixin, "generate_log_entries"): "(self, result, request)",
    (ImportExportMixin, "add_success_message"): "(self, result, request)",
    (ImportExportMixin, "get_tmp_storage_class"): "(self)",
    (ImportExportMixin, "process_import"): "(self, request, **kwargs)",
    (ModelResource, "import_data"): (
        "(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, "
        "collect_failed_rows=False, rollback_on_validation_errors=False, **kwargs)"
    ),
    (ModelResource, "filter_export"): "(self, queryset, **kwargs)",
    (ModelResource, "export_field"): "(self, field, instance, **kwargs)",
    (Result, "has_errors"): "(self)",
    (Result, "has_validation_errors"): "(self)",
    (Format, "create_dataset"): "(self, in_stream)",
    (Format, "can_import"): "(self)",
    (Format, "get_extension"): "(self)",
    (Format, "get_title"): "(self)",
    (Format, "get_read_mode"): "(self)",
    (ImportForm, "__init__"): "(self, formats, resources, **kwargs)",
    (ImportForm, "full_clean"): "(self)",
    (ConfirmImportForm, "clean"): "(self)",
    (ImportExportMixin, "create_confirm_form"): "(self, request, import_form=None)",
    (ImportExportMixin, "process_dataset"): "(self, dataset, form, request, **kwargs)",
    (BaseStorage, "__init__"): "(self, **kwargs)",
    (BaseStorage, "save"): "(self, data)",
    (BaseStorage, "read"): "(self)",
    (BaseStorage, "remove"): "(self)",
}

OURS = [
    (adapter.MeetingImportExportMixin, ImportExportMixin),
    (adapter.MeetingResource, ModelResource),
    (adapter.MeetingImportResult, Result),
    (adapter.MeetingLogFormat, Format),
    (adapter.MeetingImportForm, ImportForm),
    (adapter.MeetingConfirmImportForm, ConfirmImportForm),
    (adapter.PreviewStorage, BaseStorage),
]


def test_the_installed_django_import_export_is_the_pinned_minor_version():
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    pins = [Requirement(line) for line in pyproject["project"]["dependencies"]]
    pin = next(pin for pin in pins if pin.name == "django-import-export")
    assert pin.specifier.contains(version("django-import-export")), (
        f"django-import-export {version('django-import-export')} is installed but the "
        f"adapter was written for {pin.specifier}: check events/importing/adapter.py"
    )


@pytest.mark.parametrize(
    ("library_class", "hook", "signature"),
    [(cls, hook, signature) for (cls, hook), signature in HOOKS.items()],
    ids=[f"{cls.__name__}.{hook}" for cls, hook in HOOKS],
)
def test_each_hook_the_adapter_relies_on_keeps_its_name_and_signature(
    library_class, hook, signature
):
    assert hasattr(library_class, hook), (
        f"django-import-export no longer has {library_class.__name__}.{hook}, which "
        "events/importing/adapter.py overrides or calls"
    )
    found = str(inspect.signature(getattr(library_class, hook)))
    assert found == signature, (
        f"{library_class.__name__}.{hook} is now {found}; events/importing/adapter.py was "
        f"written for {signature}"
    )


@pytest.mark.parametrize(("ours", "library_class"), OURS, ids=[c.__name__ for c, _ in OURS])
def test_every_library_method_the_adapter_overrides_is_checked_above(ours, library_class):
    overridden = {
        name
        for name, value in vars(ours).items()
        if inspect.isfunction(value) and hasattr(library_class, name) and name != "__init__"
    }
    checked = {hook for cls, hook in HOOKS if issubclass(library_class, cls)}
    assert overridden <= checked, f"not checked: {sorted(overridden - checked)}"


def test_the_library_names_the_adapter_sets_or_reads_still_exist():
    settings = {
        "resource_classes",
        "import_formats",
        "export_formats",
        "import_form_class",
        "confirm_form_class",
        "import_template_name",
        "tmp_storage_class",
    }
    assert settings <= set(vars(adapter.MeetingImportExportMixin))
    assert all(hasattr(ImportExportMixin, name) for name in settings)
    assert set(ConfirmImportForm.base_fields) >= {"import_file_name", "original_file_name"}
    assert {"import_file", "format", "resource"} <= set(ImportForm.base_fields)
    assert {RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_SKIP, RowResult.IMPORT_TYPE_ERROR}
    assert set(Result().totals) >= {
        RowResult.IMPORT_TYPE_NEW,
        RowResult.IMPORT_TYPE_SKIP,
        RowResult.IMPORT_TYPE_ERROR,
    }
