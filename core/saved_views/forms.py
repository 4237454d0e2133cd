from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.saved_views.models import SavedView


class SavedViewForm(forms.ModelForm):
    class Meta:
        model = SavedView
        fields = ["name", "shared"]
        labels = {"name": _("Name of the view")}

    def __init__(self, *args, owner, list_name, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.owner = owner
        self.instance.list_name = list_name

    def validate_unique(self):
        # The (owner, list, name) constraint involves fields the form does not show.
        try:
            self.instance.validate_constraints()
        except ValidationError as error:
            self._update_errors(error)
