"""The follow-up list, closing and reopening a follow-up, and the personal calendar feed."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.views import ListPage
from events.follow_ups.calendar import calendar_of
from events.follow_ups.filters import FollowUpFilter
from events.follow_ups.models import FollowUp, Subscriber

# The follow-ups closed in this session that the pages offer to reopen ("Undo").
UNDO_KEY = "follow_ups_to_undo"


def may_close(user, follow_up):
    """Editors and administrators close any follow-up; anyone closes their own."""
    return user.has_perm("events.change_followup") or follow_up.owner_id == user.pk


def settings_of(user, language=None):
    subscriber, _created = Subscriber.objects.get_or_create(
        user=user, defaults={"language": (language or get_language() or "en")[:2]}
    )
    return subscriber


def back_to(request, fallback="events:follow-up-list"):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(reverse(fallback))


class FollowUpListView(ListPage):
    model = FollowUp
    filterset_class = FollowUpFilter
    template_name = "events/follow_ups/followup_filter.html"

    def get_queryset(self):
        return FollowUp.objects.with_subjects().by_urgency()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subscriber"] = settings_of(self.request.user)
        return context


class MarkDoneView(LoginRequiredMixin, View):
    def post(self, request, pk):
        follow_up = get_object_or_404(FollowUp.objects.select_related("owner"), pk=pk)
        if not (
            request.user.has_perm("events.view_followup") and may_close(request.user, follow_up)
        ):
            raise PermissionDenied
        if follow_up.state == FollowUp.State.OPEN:
            follow_up.mark_done(request.user)
            undo = [pk, *request.session.get(UNDO_KEY, [])][:5]
            request.session[UNDO_KEY] = undo
            messages.success(
                request, _("Follow-up marked done: %(what)s") % {"what": follow_up.what[:80]}
            )
        return back_to(request)


class ReopenView(LoginRequiredMixin, View):
    """Undo "mark done": the follow-up is open again, with no closing date."""

    def post(self, request, pk):
        follow_up = get_object_or_404(FollowUp, pk=pk)
        if not (
            request.user.has_perm("events.view_followup") and may_close(request.user, follow_up)
        ):
            raise PermissionDenied
        if follow_up.state == FollowUp.State.DONE:
            follow_up.reopen()
            messages.success(
                request, _("Follow-up open again: %(what)s") % {"what": follow_up.what[:80]}
            )
        request.session[UNDO_KEY] = [p for p in request.session.get(UNDO_KEY, []) if p != pk]
        return back_to(request)


class CalendarSettingsView(LoginRequiredMixin, TemplateView):
    """The user's secret calendar link (create, replace, turn off) and reminder language."""

    template_name = "events/follow_ups/settings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        subscriber = settings_of(self.request.user)
        context["subscriber"] = subscriber
        if subscriber.calendar_token:
            context["feed_url"] = self.request.build_absolute_uri(
                reverse("events:calendar-feed", args=[subscriber.calendar_token])
            )
        return context

    def post(self, request):
        subscriber = settings_of(request.user)
        action = request.POST.get("action")
        if action == "new-link":
            subscriber.new_calendar_token()
            messages.success(
                request, _("A new calendar link was made; the old one no longer works.")
            )
        elif action == "revoke":
            subscriber.revoke_calendar_token()
            messages.success(request, _("The calendar link was turned off."))
        elif action == "language" and request.POST.get("language") in dict(settings.LANGUAGES):
            subscriber.language = request.POST["language"]
            subscriber.save(update_fields=["language"])
            messages.success(request, _("Reminders will come in the language chosen."))
        return HttpResponseRedirect(reverse("events:follow-up-settings"))


def calendar_feed(request, token):
    """The open follow-ups of the token's owner, as iCalendar. No log-in: the token is it."""
    if not token:
        raise Http404
    subscriber = Subscriber.objects.filter(calendar_token=token).select_related("user").first()
    if subscriber is None or not subscriber.user.is_active:
        raise Http404
    body = calendar_of(subscriber.user, request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
