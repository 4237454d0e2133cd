"""Which way round a file writes its numeric dates, decided once for its whole date column.

"06/14/2022" can only be month first, "14/06/2022" only day first, "01/08/2020" either. A
column is read month first when some value can only be month first and none only day first;
a column where every value is ambiguous is read by the order the user chose, or by evidence:
the events' own dates in the CRM (the lines' events, or the one chosen for lines without one,
contain one reading of their dates and not the other), then what the file states (times with
AM/PM, as US exports write them: month first; French headers: day first); and otherwise
refused: a January visit is never silently put in August. Events whose dates say both orders
refuse the file too. The decision is a note on the LogFile, shown with the file's description
in the preview.
"""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from events.importing.columns import header_key
from events.importing.limits import FileRejected
from events.importing.values import DAY_MONTH, MONTH_DAY, has_am_pm, numeric_day_month, parse_date

# Excel serial numbers for 1990-01-01 and 2099-12-31: a number in a date column outside them
# is not a meeting day.
_SERIALS = (32874, 73050)
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Headers only a French file has: evidence that its dates are day first.
_FRENCH_HEADERS = {
    header_key(word)
    for word in (
        "Société",
        "Événement",
        "Entreprise",
        "Organisme",
        "Sujet",
        "Suivi",
        "Commentaire",
        "Remarque",
        "Compte rendu",
        "Date du rendez-vous",
        "Date de la réunion",
        "Date RDV",
        "Jour",
        "Date de début",
        "Partenaire",
        "Nom de la société",
        "Salon",
        "Interlocuteur",
        "Personne rencontrée",
        "Objet",
        "Participants obligatoires",
    )
}


# Distinct (date, event) pairs kept as evidence from the events' dates: plenty to decide on.
_EVIDENCE_PAIRS = 1000
_UNREAD = object()


def decide_date_order(log, lines, chosen, event_dates=None):
    """Set `log.date_order` from the whole date column of `lines`, noting why.

    `event_dates(event cell)` gives (name, start, end) of the event a line names (or of the
    event chosen for lines without one), or None: asked only when every date is ambiguous."""
    index = log.columns["date"]
    event_index = log.columns.get("event")
    label = log.column_label("date")
    day_only = month_only = ambiguous = None
    am_pm = False
    pairs = set()
    numeric = {}  # a log repeats its dates: each distinct cell is read once
    times = log.time_columns
    times_seen = set()
    for _line, cells in lines:
        cell = cells[index]
        if type(cell) is not str:
            continue
        pair = numeric.get(cell, _UNREAD)
        new = pair is _UNREAD
        if new:
            pair = numeric[cell] = numeric_day_month(cell)
        if pair is None:
            continue
        if not am_pm:
            if new:
                am_pm = has_am_pm(cell)
            if times and not am_pm:
                found = tuple(str(cells[i]) for i in times)
                if found not in times_seen:
                    times_seen.add(found)
                    am_pm = any(map(has_am_pm, found))
        first, second = pair
        if first > 12 and second <= 12:
            day_only = day_only or cell
        elif second > 12 and first <= 12:
            month_only = month_only or cell
        elif first != second and first <= 12 and second <= 12:
            ambiguous = ambiguous or cell
            if len(pairs) < _EVIDENCE_PAIRS:
                pairs.add((cell, "" if event_index is None else str(cells[event_index])))
    if chosen in (DAY_MONTH, MONTH_DAY):
        log.date_order = chosen
        if day_only or month_only or ambiguous:
            log.notes.append(_order_note(label, chosen, _("as chosen")))
        return
    if month_only and not day_only:
        log.date_order = MONTH_DAY
        log.notes.append(
            _order_note(
                label, MONTH_DAY, _("%(value)s cannot be day/month") % {"value": month_only}
            )
        )
    elif day_only or not ambiguous:
        log.date_order = DAY_MONTH
    elif event_dates is not None and (found := _events_say(pairs, event_dates, label)):
        log.date_order, reason = found
        log.notes.append(_order_note(label, log.date_order, reason))
    elif am_pm:
        log.date_order = MONTH_DAY
        log.notes.append(
            _order_note(
                label,
                MONTH_DAY,
                _("every date could be either, and times are written AM/PM as in a US export"),
            )
        )
    elif _FRENCH_HEADERS & {header_key(header) for header in log.headers}:
        log.date_order = DAY_MONTH
        log.notes.append(
            _order_note(
                label, DAY_MONTH, _("every date could be either, and the headers are French")
            )
        )
    else:
        raise FileRejected(
            _(
                "Every date in the column “%(column)s” could be day/month or month/day "
                "(%(value)s is %(dmy)s or %(mdy)s), and nothing in the file says which. Choose "
                "the date order: the admin's “Date order” option, or --date-order dmy|mdy."
            )
            % {
                "column": label,
                "value": ambiguous,
                "dmy": parse_date(ambiguous, DAY_MONTH).strftime("%d %b %Y"),
                "mdy": parse_date(ambiguous, MONTH_DAY).strftime("%d %b %Y"),
            }
        )


def _events_say(pairs, event_dates, label):
    """(order, reason) when the events' dates in the CRM contain one reading of the lines'
    dates and never the other; None when they say nothing. Events saying both orders refuse
    the file: its dates cannot all be read one way."""
    spans = {}
    says = {DAY_MONTH: {}, MONTH_DAY: {}}  # order -> event name -> (span, an example value)
    for value, event in sorted(pairs):
        if event not in spans:
            spans[event] = event_dates(event)
        span = spans[event]
        if span is None:
            continue
        name, start, end = span
        days = {order: parse_date(value, order) for order in (DAY_MONTH, MONTH_DAY)}
        fits = {
            order
            for order, day in days.items()
            if isinstance(day, datetime.date) and start <= day <= (end or start)
        }
        if len(fits) == 1:
            says[fits.pop()].setdefault(name, (start, end or start, value))
    if says[DAY_MONTH] and says[MONTH_DAY]:
        (dmy_event, (*_dmy, dmy_value)), *_others = says[DAY_MONTH].items()
        (mdy_event, (*_mdy, mdy_value)), *_others = says[MONTH_DAY].items()
        raise FileRejected(
            _(
                "Every date in the column “%(column)s” could be day/month or month/day, and "
                "the events' dates in the CRM say both: %(dmy_value)s falls within %(dmy)s's "
                "dates as day/month, %(mdy_value)s within %(mdy)s's as month/day. Check those "
                "lines, or choose the date order: the admin's “Date order” option, or "
                "--date-order dmy|mdy."
            )
            % {
                "column": label,
                "dmy_value": dmy_value,
                "dmy": dmy_event,
                "mdy_value": mdy_value,
                "mdy": mdy_event,
            }
        )
    for order, events in says.items():
        if events:
            within = ", ".join(
                _("%(event)s's dates, %(span)s") % {"event": name, "span": _span(start, end)}
                for name, (start, end, _value) in list(events.items())[:3]
            )
            return order, _("they fall within %(events)s") % {"events": within}
    return None


def _span(start, end):
    """ "24–26 October 2022", "30 September – 2 October 2022", "14 June 2022"."""
    if start == end:
        return date_format(start, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{date_format(end, 'j F Y')}"
    if start.year == end.year:
        return f"{date_format(start, 'j F')} – {date_format(end, 'j F Y')}"
    return f"{date_format(start, 'j F Y')} – {date_format(end, 'j F Y')}"


def _order_note(label, order, reason):
    text = _("day/month") if order == DAY_MONTH else _("month/day (US)")
    return _("Dates in “%(column)s” read as %(order)s: %(reason)s.") % {
        "column": label,
        "order": text,
        "reason": reason,
    }


def read_dates(log, lines):
    """The date column of `lines` read in the decided order, in place: each valid date
    becomes a date (the planner takes it as is); anything else stays text for the planner's
    message."""
    index = log.columns["date"]
    order = log.date_order
    xlsx = log.kind == "xlsx"
    read = {}
    for _line, cells in lines:
        cell = cells[index]
        if type(cell) is str:
            day = read.get(cell)
            if day is None:
                day = read[cell] = parse_date(cell, order) if order == MONTH_DAY else cell
                if not isinstance(day, datetime.date):
                    day = read[cell] = cell
            cells[index] = day
        elif xlsx and isinstance(cell, int | float):
            cells[index] = _serial(cell)


def _serial(number):
    """An Excel serial number as its day when it is a plausible meeting day; else its text."""
    if _SERIALS[0] <= number <= _SERIALS[1] and float(number).is_integer():
        return _EXCEL_EPOCH + datetime.timedelta(days=int(number))
    return str(int(number)) if float(number).is_integer() else str(number)
