"""`/meetings/new/`, the quick form for logging a meeting (its search-as-you-type fields
call genopole_crm.lookups)."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from events.follow_ups.forms import LogMeetingForm, NewPeopleFormSet
from events.follow_ups.logging import log_meeting
from events.models import Event
from partners.models import Organisation


class LogMeetingView(PermissionRequiredMixin, TemplateView):
    template_name = "events/follow_ups/log_meeting.html"
    permission_required = ["events.add_meeting", "partners.add_person", "events.add_followup"]

    def prefill(self):
        initial = {}
        for name, model in (("organisation", Organisation), ("event", Event)):
            value = self.request.GET.get(name, "")
            if value.isdigit() and model.objects.filter(pk=int(value)).exists():
                initial[name] = int(value)
        return initial

    def get(self, request, *args, **kwargs):
        form = LogMeetingForm(initial=self.prefill(), user=request.user)
        return self.render_to_response(
            self.get_context_data(form=form, new_people=NewPeopleFormSet(prefix="new"))
        )

    def post(self, request, *args, **kwargs):
        form = LogMeetingForm(request.POST, user=request.user)
        new_people = NewPeopleFormSet(request.POST, prefix="new")
        if form.is_valid() and new_people.is_valid():
            data = form.cleaned_data
            try:
                meeting = log_meeting(
                    user=request.user,
                    date=data["date"],
                    organisation=data["organisation"],
                    event=data["event"],
                    people=list(data["people"]),
                    new_people=[p for p in (f.new_person() for f in new_people) if p],
                    topic=data["topic"],
                    notes=data["notes"],
                    follow_up=data["follow_up"],
                    follow_up_due=data["follow_up_due"],
                    follow_up_owner=data["follow_up_owner"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("Meeting logged: %(meeting)s") % {"meeting": meeting})
                return HttpResponseRedirect(meeting.get_absolute_url())
        return self.render_to_response(
            self.get_context_data(form=form, new_people=new_people), status=200
        )
