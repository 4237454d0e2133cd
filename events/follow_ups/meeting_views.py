"""`/meetings/new/`, the quick form for logging a meeting, and the small JSON look-up its
search-as-you-type fields call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from events.follow_ups.forms import LogMeetingForm, NewPeopleFormSet
from events.follow_ups.logging import log_meeting
from events.models import Event
from partners.models import Organisation, Person

LOOKUPS = {
    "organisation": (Organisation, lambda qs: qs),
    "event": (Event, lambda qs: qs.order_by("-start_date", "name")),
    "person": (Person, lambda qs: qs.select_related("organisation")),
}
LOOKUP_LIMIT = 15


def label_of(record):
    if isinstance(record, Person):
        return f"{record.full_name} ({record.organisation})"
    return str(record)


@login_required
def lookup(request, kind):
    """`?q=` → the first matches, `{"results": [{"id": …, "label": …}]}`, for those allowed to
    read that kind of record. `?organisation=ID` narrows people to one organisation's."""
    if kind not in LOOKUPS:
        raise Http404
    model, arrange = LOOKUPS[kind]
    opts = model._meta
    if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
        raise PermissionDenied
    matches = arrange(model.objects.search(request.GET.get("q", "")[:100]))
    organisation = request.GET.get("organisation", "")
    if kind == "person" and organisation.isdigit():
        matches = matches.filter(organisation_id=int(organisation))
    results = [{"id": r.pk, "label": label_of(r)} for r in matches[:LOOKUP_LIMIT]]
    return JsonResponse({"results": results})


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
