"""Saving a list's filters under a name, and the owner's renaming, updating and deleting."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.saved_views.forms import SavedViewForm
from core.saved_views.models import SavedView, kept_query, may_view_list


def back(request, fallback):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


class SaveView(LoginRequiredMixin, View):
    """POST name, shared, list_name, query: the current filters of that list, under a name."""

    def post(self, request):
        list_name = request.POST.get("list_name", "")
        if not may_view_list(request.user, list_name):
            raise PermissionDenied
        form = SavedViewForm(request.POST, owner=request.user, list_name=list_name)
        form.instance.query = kept_query(request.POST.get("query", ""))
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return back(request, reverse(list_name))
        view = form.save()
        messages.success(request, _("View saved: %(name)s") % {"name": view.name})
        return HttpResponseRedirect(view.get_absolute_url())


def owned(request, pk):
    """Only the owner changes a view; to anyone else it does not exist."""
    return get_object_or_404(SavedView, pk=pk, owner=request.user)


class EditView(LoginRequiredMixin, TemplateView):
    template_name = "saved_views/edit.html"

    def get(self, request, pk):
        view = owned(request, pk)
        form = SavedViewForm(instance=view, owner=view.owner, list_name=view.list_name)
        return self.render_to_response({"form": form, "view": view})

    def post(self, request, pk):
        view = owned(request, pk)
        form = SavedViewForm(
            request.POST, instance=view, owner=view.owner, list_name=view.list_name
        )
        if form.is_valid():
            form.save()
            messages.success(request, _("View saved: %(name)s") % {"name": view.name})
            return HttpResponseRedirect(view.get_absolute_url())
        return self.render_to_response({"form": form, "view": view})


class UpdateFiltersView(LoginRequiredMixin, View):
    """The view takes the filters and sort the list shows now."""

    def post(self, request, pk):
        view = owned(request, pk)
        view.query = kept_query(request.POST.get("query", ""))
        view.save(update_fields=["query", "updated_at"])
        messages.success(request, _("View updated: %(name)s") % {"name": view.name})
        return HttpResponseRedirect(view.get_absolute_url())


class DeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        view = owned(request, pk)
        list_url = reverse(view.list_name)
        view.delete()
        messages.success(request, _("View deleted: %(name)s") % {"name": view.name})
        return back(request, list_url)
