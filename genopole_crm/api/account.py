"""The account page where people create, see once and revoke their personal API tokens."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from genopole_crm.api.models import ApiToken


class NewTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]


class TokenPage(LoginRequiredMixin, TemplateView):
    template_name = "api/tokens.html"
    extra_context = {"title": gettext_lazy("API tokens")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", NewTokenForm())
        context["tokens"] = ApiToken.objects.filter(user=self.request.user)
        return context

    def post(self, request, *args, **kwargs):
        form = NewTokenForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        token, key = ApiToken.issue(user=request.user, name=form.cleaned_data["name"])
        # The key is shown in this one answer and never again: only its digest is stored.
        return self.render_to_response(self.get_context_data(new_token=token, new_key=key))


class RevokeToken(LoginRequiredMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, pk):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        token.revoke()
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return redirect("api-tokens")
