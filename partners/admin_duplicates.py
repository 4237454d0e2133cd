"""The admin's side of duplicates: the "Possible duplicates" page, "not a duplicate", the
merge action with its side-by-side confirmation page, and the warning before creating a
record whose name looks like an existing one ("create anyway")."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.merging import MergeError, relations_of

CREATE_ANYWAY = "create_anyway"


def _url(opts, action, *args):
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=args)


class DuplicatesAdminMixin:
    """For a ModelAdmin of a model with duplicate candidates (organisations, people).

    Subclasses set `find_candidates` (every pair), `find_candidates_for(cleaned_data)` (a
    record about to be created), `merge_records(keep, other, user)`, `preview_merge(keep,
    other)` and `distinct_model` (the "not a duplicate" decisions).
    """

    change_list_template = "admin/partners/duplicates_change_list.html"
    actions = ["merge_selected"]
    compared_fields = ()
    # 100,000 made-up organisations yield tens of thousands of look-alikes: a page of them
    # at a time, with the total (bench/find_duplicates.py).
    duplicates_per_page = 100

    # Permissions: merging deletes the other record, so it needs change and delete.
    def has_merge_permission(self, request):
        opts = self.opts
        return all(
            request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
            for action in ("change", "delete")
        )

    def get_urls(self):
        opts = self.opts
        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "duplicates/",
                self.admin_site.admin_view(self.duplicates_view),
                name=f"{name}_duplicates",
            ),
            path("merge/", self.admin_site.admin_view(self.merge_view), name=f"{name}_merge"),
            *super().get_urls(),
        ]

    def duplicates_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            return self._not_a_duplicate(request)
        # get_page: a page number that is not one ("abc", 10**9) shows the nearest page.
        page = Paginator(self.find_candidates(), self.duplicates_per_page).get_page(
            request.GET.get("page")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Possible duplicates"),
            "page": page,
            "candidates": page.object_list,
            "can_merge": self.has_merge_permission(request),
        }
        return TemplateResponse(request, "admin/partners/duplicates.html", context)

    def _not_a_duplicate(self, request):
        first, second = self._pair(request.POST.get("first"), request.POST.get("second"))
        if first is None:
            self.message_user(request, _("These records no longer exist."), messages.ERROR)
        else:
            self.distinct_model.objects.get_or_create(
                first=first, second=second, defaults={"decided_by": request.user}
            )
            self.message_user(
                request,
                _("“%(first)s” and “%(second)s” will not be proposed again.")
                % {"first": first, "second": second},
            )
        # Back to the same page of candidates (the form posts to the page's own address).
        return HttpResponseRedirect(request.get_full_path())

    def _pair(self, first_id, second_id):
        try:
            ids = [int(first_id), int(second_id)]
        except (TypeError, ValueError):
            return None, None
        records = self.model._default_manager.in_bulk(ids)
        if ids[0] == ids[1] or len(records) != 2:
            return None, None
        return records[ids[0]], records[ids[1]]

    @admin.action(description=gettext_lazy("Merge the two selected records…"))
    def merge_selected(self, request, queryset):
        chosen = list(queryset.order_by("pk").values_list("pk", flat=True)[:3])
        if len(chosen) != 2:
            self.message_user(request, _("Select exactly two records to merge."), messages.ERROR)
            return None
        return HttpResponseRedirect(
            f"{_url(self.opts, 'merge')}?keep={chosen[0]}&other={chosen[1]}"
        )

    def merge_view(self, request):
        if not self.has_merge_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else request.GET
        keep, other = self._pair(data.get("keep"), data.get("other"))
        if keep is None:
            self.message_user(
                request, _("Choose two different existing records to merge."), messages.ERROR
            )
            return HttpResponseRedirect(_url(self.opts, "duplicates"))
        if request.method == "POST":
            try:
                self.merge_records(keep, other, request.user)
            except (MergeError, IntegrityError, ValidationError) as error:
                self.message_user(request, _("Nothing was merged: %s") % error, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("“%(other)s” was merged into “%(keep)s”.") % {"other": other, "keep": keep},
                )
                return HttpResponseRedirect(_url(self.opts, "change", keep.pk))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Merge “%(other)s” into “%(keep)s”") % {"other": other, "keep": keep},
            "keep": keep,
            "other": other,
            "fields": self._side_by_side(keep, other),
            "relations": self._relation_counts(keep, other),
            "outcome": self.preview_merge(keep, other),
            "swap_url": f"{_url(self.opts, 'merge')}?keep={other.pk}&other={keep.pk}",
        }
        return TemplateResponse(request, "admin/partners/merge.html", context)

    def _side_by_side(self, keep, other):
        rows = []
        for model_field in self.model._meta.concrete_fields:
            if model_field.primary_key or not model_field.editable:
                continue
            shown = [self._display(record, model_field) for record in (keep, other)]
            if any(shown):
                rows.append((model_field.verbose_name, *shown))
        return rows

    @staticmethod
    def _display(record, model_field):
        if model_field.choices:
            return getattr(record, f"get_{model_field.name}_display")()
        value = getattr(record, model_field.name)
        if value in (None, ""):
            return ""
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return str(value)

    def _relation_counts(self, keep, other):
        rows = []
        for label, model, fk in relations_of(self.model):
            counts = [
                model._base_manager.filter(**{fk: record.pk}).count() for record in (keep, other)
            ]
            if any(counts):
                rows.append((label, *counts))
        return rows

    # The warning before creating a look-alike.
    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"] is not None:
            kwargs["fields"] = [name for name in kwargs["fields"] if name != CREATE_ANYWAY]
        form = super().get_form(request, obj, change=change, **kwargs)
        admin_self = self

        class WarnOnCreate(form):
            create_anyway = forms.BooleanField(
                label=_("Create anyway"),
                required=False,
                help_text=_("Tick this if the look-alikes shown above are other records."),
            )

            def clean(self):
                cleaned = super().clean()
                if self.errors or cleaned.get(CREATE_ANYWAY):
                    return cleaned
                candidates = admin_self.find_candidates_for(cleaned)
                if candidates:
                    raise ValidationError(admin_self._warning(candidates))
                return cleaned

        return WarnOnCreate

    def _warning(self, candidates):
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a> — {} ({})</li>',
            (
                (_url(self.opts, "change", c.first.pk), c.first, c.reason, f"{c.score:.2f}")
                for c in candidates[:10]
            ),
        )
        return format_html(
            "{}<ul>{}</ul>{}",
            _("This looks like a record that already exists:"),
            items,
            _("Edit that one instead, or tick “Create anyway” below and save again."),
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        shown = {name for _name, options in fieldsets for name in options["fields"]}
        if obj is None and CREATE_ANYWAY not in shown:
            fieldsets = [*fieldsets, (None, {"fields": [CREATE_ANYWAY]})]
        return fieldsets
