from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import ChosenOnlySelect, ChosenOnlySelectMultiple
from events.follow_ups.logging import NewPerson, existing_meeting
from events.models import Event
from partners.models import Organisation, Person

DATE = forms.DateInput(attrs={"type": "date"})


class LogMeetingForm(forms.Form):
    """Short enough to fill in on a phone between two meetings at a convention."""

    date = forms.DateField(label=_("Date"), widget=DATE)
    event = forms.ModelChoiceField(
        label=_("Event"),
        queryset=Event.objects.all(),
        required=False,
        empty_label=_("No event"),
        widget=ChosenOnlySelect,
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation met"), queryset=Organisation.objects.all(), widget=ChosenOnlySelect
    )
    people = forms.ModelMultipleChoiceField(
        label=_("People met"),
        queryset=Person.objects.select_related("organisation"),
        required=False,
        widget=ChosenOnlySelectMultiple,
    )
    topic = forms.CharField(label=_("Topic"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    follow_up = forms.CharField(
        label=_("Follow-up: what is to be done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    follow_up_due = forms.DateField(label=_("Follow-up due"), required=False, widget=DATE)
    follow_up_owner = forms.ModelChoiceField(
        label=_("Follow-up owner"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        empty_label=_("Nobody yet"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = None
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())
            self.initial.setdefault("follow_up_owner", user)
        self.fields["follow_up_owner"].label_from_instance = lambda u: (
            u.get_full_name() or u.get_username()
        )
        self.fields["people"].label_from_instance = lambda p: f"{p.full_name} ({p.organisation})"
        for name, kind in (
            ("organisation", "organisation"),
            ("event", "event"),
            ("people", "person"),
        ):
            self.fields[name].widget.attrs.update(
                {
                    "data-lookup-url": reverse("lookup", args=[kind]),
                    "data-placeholder": _("Type a few letters to search"),
                    "data-no-match": _("Nothing found"),
                    "data-remove-label": _("Remove"),
                }
            )
        self.fields["people"].widget.attrs["data-narrow-to-organisation"] = "1"

    def clean(self):
        data = super().clean()
        if (data.get("follow_up_due") or data.get("follow_up_owner")) and not data.get("follow_up"):
            self.add_error("follow_up", _("Say what is to be done, or leave the follow-up empty."))
        if data.get("organisation") and data.get("date"):
            self.existing = existing_meeting(
                organisation=data["organisation"], event=data.get("event"), date=data["date"]
            )
            if self.existing:
                raise forms.ValidationError(
                    _("This meeting is already in the CRM."), code="duplicate"
                )
        return data


class NewPersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    role = forms.CharField(label=_("Job title"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=False)

    def clean(self):
        data = super().clean()
        filled = any(data.get(name) for name in ("first_name", "last_name", "role", "email"))
        if filled and not (data.get("first_name") and data.get("last_name")):
            raise forms.ValidationError(_("A new person needs a first and a last name."))
        return data

    def new_person(self):
        data = self.cleaned_data
        if not data.get("last_name"):
            return None
        return NewPerson(data["first_name"], data["last_name"], data["role"], data["email"])


NewPeopleFormSet = forms.formset_factory(NewPersonForm, extra=3, max_num=10)
