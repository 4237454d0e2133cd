from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core.exports import PerChunk, country_name, dated, label, names
from core.models import count_of, related_manager
from core.views import DetailPage, ListPage
from events.filters import EventFilter, MeetingFilter
from events.models import Event, Meeting, Participation
from partners.models import Organisation
from partners.querysets import SHOWN_ON_PAGE


def follow_ups(ids):
    """A chunk of meetings' follow-up columns: what is to be done, and the status label."""
    labels = {value: str(label) for value, label in Meeting.FollowUp.choices}
    return {
        meeting: (what, labels[state])
        for meeting, (state, what) in Meeting.objects.follow_up_states(ids).items()
    }


class EventListView(ListPage):
    model = Event
    filterset_class = EventFilter
    csv_columns = [
        (_("Name"), "name"),
        (_("Series"), "series__name"),
        (_("Kind"), label("kind", Event.Kind.choices)),
        (_("Format"), label("format", Event.Format.choices)),
        *dated(_("Start"), "start_date", "start_precision"),
        *dated(_("End"), "end_date", "end_precision"),
        (_("City"), "city"),
        (_("Country"), country_name("country")),
        (_("Country code"), "country"),
        (_("Genopole's role"), label("participation__role", Participation.Role.choices)),
        (_("Meetings"), "meeting_count"),
    ]

    def get_queryset(self):
        return Event.objects.with_counts().select_related("series", "participation")


class EventDetailView(DetailPage):
    model = Event

    def get_queryset(self):
        # The latest meetings only: the largest event has thousands.
        latest = Meeting.objects.with_follow_up_state().order_by("-date", "-pk")
        return (
            Event.objects.select_related("series", "organiser", "host", "participation")
            .annotate(
                meeting_total=count_of(Meeting.objects.all(), "event"),
                organisations_met_total=Coalesce(
                    Subquery(
                        Meeting.objects.filter(event=OuterRef("pk"))
                        .order_by()
                        .values("event")
                        .annotate(n=Count("organisation", distinct=True))
                        .values("n")
                    ),
                    0,
                ),
            )
            .prefetch_related(
                "aliases",
                "figures",
                "sources",
                "participation__co_participants",
                "participation__accompanied_companies",
                Prefetch(
                    "meetings",
                    latest.select_related("organisation").prefetch_related(
                        "people", "accompanied_companies"
                    )[:SHOWN_ON_PAGE],
                    to_attr="latest_meetings",
                ),
                # Through the reverse relation: events does not import projects, which imports it.
                Prefetch(
                    "milestones",
                    related_manager(Event, "milestones").select_related("project").order_by("date"),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["participation"] = getattr(self.object, "participation", None)
        met = Meeting.objects.filter(event=self.object).values("organisation")
        context["organisations_met"] = Organisation.objects.filter(pk__in=met)[:SHOWN_ON_PAGE]
        return context


class MeetingListView(ListPage):
    model = Meeting
    filterset_class = MeetingFilter
    csv_columns = [
        *dated(_("Date"), "date", "date_precision"),
        (_("Organisation"), "organisation__name"),
        (_("Kind of organisation"), label("organisation__kind", Organisation.Kind.choices)),
        (_("Country"), country_name("organisation__country")),
        (_("Event"), "event__name"),
        (_("People met"), names("people")),
        (_("Genopole companies accompanied"), names("accompanied_companies")),
        (_("Topic"), "topic"),
        (_("Notes"), "notes"),
        (_("Follow-up"), PerChunk(follow_ups, pick=0)),
        (_("Follow-up status"), PerChunk(follow_ups, pick=1, default=Meeting.FollowUp.NONE.label)),
    ]

    def get_queryset(self):
        return (
            Meeting.objects.with_follow_up_state()
            .select_related("organisation", "event")
            .prefetch_related("people", "accompanied_companies")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.filterset.is_bound:
            self.filterset.form.is_valid()  # the dates that can be read, whatever the rest
            start, end = self.filterset.date_range()
            for meeting in context["object_list"]:
                meeting.possibly_in_range = meeting.possibly_between(start, end)
        return context

    def list_notes(self):
        notes = super().list_notes()
        if self.filterset.is_bound and getattr(self.filterset, "swapped", False):
            notes.append(_("The dates were the wrong way round: showing from the earlier one."))
        return notes


class MeetingDetailView(DetailPage):
    model = Meeting

    def get_queryset(self):
        return Meeting.objects.select_related("organisation", "event").prefetch_related(
            "people", "accompanied_companies", "sources"
        )
