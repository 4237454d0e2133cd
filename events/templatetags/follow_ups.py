from django import template

from events.follow_ups.dashboard import dashboard_context, subject_context

register = template.Library()


def _page(context):
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
    }


@register.inclusion_tag("events/follow_ups/includes/_dashboard.html", takes_context=True)
def my_follow_ups(context):
    """The dashboard's panel: my open follow-ups, with "mark done" and "undo"."""
    return {**_page(context), **dashboard_context(context["request"])}


@register.inclusion_tag("events/follow_ups/includes/_subject.html", takes_context=True)
def follow_ups_of(context, subject):
    """A meeting's or an organisation's open follow-ups, for its page."""
    return {**_page(context), **subject_context(context["request"], subject)}


@register.filter
def closable_by(follow_up, user):
    from events.follow_ups.views import may_close

    return may_close(user, follow_up)
