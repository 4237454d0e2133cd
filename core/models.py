"""Abstract models and queryset helpers every domain app shares.

The kernel imports no domain app; `Sourced` names the concrete `partners.Report` by its
label only, because the table has always lived there.
"""

import functools

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, models
from django.db.models import Count, F, Func, Lookup, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries as all_countries

from core.search import fold, folded_copy


class NaturalKeyManager(models.Manager):
    """`get_by_natural_key` from the lookups that match a model's `natural_key()`, in order.

    Fixtures refer to records by these keys, so loading them twice updates, never duplicates.
    """

    def __init__(self, *lookups):
        super().__init__()
        self.lookups = lookups

    def get_by_natural_key(self, *values):
        return self.get(**dict(zip(self.lookups, values, strict=True)))


class ChoiceLabels:
    """`get_<field>_display()` by a lookup in a table of the field's labels built once.

    Django's own rebuilds that table on every call, translating every label of the field
    to hash it: 0.17 ms a call, a few milliseconds a page of 50 rows. The labels stay lazy
    here; only the one returned is translated, in the active language.
    """

    def _get_FIELD_display(self, field):
        labels = _CHOICE_LABELS.get(field)
        if labels is None:
            try:
                labels = _CHOICE_LABELS[field] = dict(field.flatchoices)
            except TypeError:  # unhashable choice values (none here): Django's own way
                return super()._get_FIELD_display(field)
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)


_CHOICE_LABELS = {}


class Sourced(ChoiceLabels, models.Model):
    """Provenance: the reports a record was derived from (none for records staff create)."""

    sources = models.ManyToManyField(
        "partners.Report", blank=True, related_name="+", verbose_name=_("source reports")
    )

    # django-simple-history's hook for relations declared on an abstract base: every audited
    # model's history also records which reports it came from, version by version.
    _history_m2m_fields = ["sources"]

    class Meta:
        abstract = True


class DatePrecision(models.TextChoices):
    """How much of a date the source actually states ("2019", "May 2022", "14 June 2022").

    The date itself is stored as the first day of what is known.
    """

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


def format_partial_date(value, precision):
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    return _formatted_date(value, precision, get_language())


@functools.lru_cache(maxsize=16_384)
def _formatted_date(value, precision, language):
    """Formatted once per date, precision and language: Django's date_format looks the
    format and the month's name up in the translations each time (60 µs; a list page shows
    50 to 100 dates). The language is in the key, though date_format reads the active one."""
    if precision == DatePrecision.MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    # Day, month then year in every language ("14 June 2022" beside "June 2022" and
    # "2022"), so that a column of dates of mixed precision reads as one style.
    return date_format(value, "j F Y")


class Period(models.Model):
    """A start and an optional end, each as precise as the source allows."""

    start_date = models.DateField(_("start date"), null=True, blank=True)
    start_precision = models.CharField(
        _("start date precision"),
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
    )
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_precision = models.CharField(
        _("end date precision"),
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    @property
    def start_display(self):
        return format_partial_date(self.start_date, self.start_precision)

    @property
    def end_display(self):
        return format_partial_date(self.end_date, self.end_precision)


class Alias(models.Model):
    """Another spelling of a record's name: a French name, an acronym, an old name."""

    name = models.CharField(_("alias"), max_length=200)
    # Stored folded copy, for searches and name clashes (core.search.folded_copy).
    name_folded = folded_copy("name")

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class ReportedFigure(Sourced):
    """A count a report gives without naming everything counted, with its wording kept.

    "about 100 meetings", "more than 13,000 participants", "close to 30 meetings".
    """

    class Metric(models.TextChoices):
        PARTICIPANTS = "participants", _("Participants")
        COMPANIES = "companies", _("Companies")
        MEETINGS = "meetings", _("Meetings")
        CORPORATIONS = "corporations", _("Corporations or SMEs")
        INVESTORS = "investors", _("Investors")
        GENOPOLE_COMPANIES = "genopole_companies", _("Genopole companies")
        MEMBERS = "members", _("Members")
        STUDENTS = "students", _("Students")
        COUNTRIES = "countries", _("Countries")
        BUSINESSES = "businesses", _("Businesses")
        DAYS = "days", _("Days")
        OTHER = "other", _("Other")

    class Qualifier(models.TextChoices):
        EXACTLY = "exactly", _("exactly")
        ABOUT = "about", _("about")
        CLOSE_TO = "close_to", _("close to")
        MORE_THAN = "more_than", _("more than")

    metric = models.CharField(_("what is counted"), max_length=20, choices=Metric)
    label = models.CharField(
        _("detail"),
        max_length=100,
        blank=True,
        help_text=_("Distinguishes two counts of the same thing, e.g. “in person” and “virtual”."),
    )
    qualifier = models.CharField(
        _("qualifier"), max_length=10, choices=Qualifier, default=Qualifier.EXACTLY
    )
    value = models.PositiveIntegerField(_("value"))
    wording = models.CharField(
        _("wording in the source"), max_length=300, blank=True, help_text=_("Kept verbatim.")
    )

    class Meta:
        abstract = True
        ordering = ["metric", "label"]

    def __str__(self):
        parts = [] if self.qualifier == self.Qualifier.EXACTLY else [self.get_qualifier_display()]
        parts += [f"{self.value:,}", str(self.noun)]
        if self.label:
            parts.append(f"({self.label})")
        return " ".join(part for part in parts if part)

    @property
    def noun(self):
        """What is counted, as it reads after the number: "25 corporations or SMEs"."""
        return METRIC_NOUNS.get(self.metric, "")


# Written out rather than lower-cased from the labels, which would turn "SMEs" into "smes"
# and "Genopole" into "genopole".
METRIC_NOUNS = {
    ReportedFigure.Metric.PARTICIPANTS: _("participants"),
    ReportedFigure.Metric.COMPANIES: _("companies"),
    ReportedFigure.Metric.MEETINGS: _("meetings"),
    ReportedFigure.Metric.CORPORATIONS: _("corporations or SMEs"),
    ReportedFigure.Metric.INVESTORS: _("investors"),
    ReportedFigure.Metric.GENOPOLE_COMPANIES: pgettext_lazy("after a number", "Genopole companies"),
    ReportedFigure.Metric.MEMBERS: _("members"),
    ReportedFigure.Metric.STUDENTS: _("students"),
    ReportedFigure.Metric.COUNTRIES: _("countries"),
    ReportedFigure.Metric.BUSINESSES: _("businesses"),
    ReportedFigure.Metric.DAYS: _("days"),
}


def count_of(related, field):
    """The number of `related` rows whose `field` points at the outer row, as a subquery.

    A correlated subquery, unlike Count() over a join, is not multiplied by other joins and
    leaves the outer query free of GROUP BY, so filters and sorting stay simple.
    """
    return Coalesce(
        Subquery(
            related.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def among(field, values):
    """`field IN values` (a queryset's values, or ids), written as PostgreSQL serves it best.

    There an `IN (subquery)` inside an OR is tested row by row (a hashed subplan over a scan
    of the whole table: 0.15 s for an organisation's follow-ups at 250,000); written
    `= ANY(ARRAY(subquery))` the subquery runs once first and each arm of the OR reads its
    own index. Ids go as one array parameter (`Among`).
    """
    if not isinstance(values, models.QuerySet):
        return Among(F(field), list(values))
    if connection.vendor != "postgresql":
        return Q(**{f"{field}__in": values})
    from django.contrib.postgres.expressions import ArraySubquery

    return _EqualsAny(F(field), ArraySubquery(values))


class Among(Lookup):
    """`field = ANY(ids)`: one array parameter on PostgreSQL where `__in` sends one per id
    (at 2,000 ids a chunk, preparing and quoting them cost more than the query); `IN` on
    other databases."""

    lookup_name = "among"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        placeholders = ", ".join(["%s"] * len(self.rhs)) or "NULL"
        return f"{lhs} IN ({placeholders})", [*params, *self.rhs]

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        ids = list(self.rhs)
        if all(type(value) is int for value in ids):
            # Integers as one array literal: psycopg quotes a list element by element, which
            # cost more than the query itself at 2,000 ids (an export's chunk).
            array_type = self.lhs.output_field.cast_db_type(connection)
            literal = "{" + ",".join(map(str, ids)) + "}"
            return f"{lhs} = ANY(%s::{array_type}[])", [*params, literal]
        return f"{lhs} = ANY(%s)", [*params, ids]


class _EqualsAny(Func):
    arg_joiner = " = ANY("
    template = "%(expressions)s)"
    output_field = models.BooleanField()


class CountryQuerySetMixin:
    def countries(self):
        """(code, name) of the countries used, sorted by their name in the active language.

        The table's countries are read from the country index by skipping from one to the
        next (a recursive query: one index probe per country, where DISTINCT read every
        row); a filtered queryset then keeps those of its own rows, one probe each (a
        DISTINCT over the partnerships' organisations hashed all 100,000 of them: 0.2 s at
        100 times today's data).
        """
        table = connection.ops.quote_name(self.model._meta.db_table)
        column = connection.ops.quote_name(self.model._meta.get_field("country").column)
        keep, params = "", ()
        if self.query.where:
            one = self.filter(country=RawSQL("used.code", ())).order_by().values("pk")[:1]
            try:
                first, params = one.query.sql_with_params()
            except EmptyResultSet:  # .none(), or a filter nothing can match
                return []
            # A scalar subquery, not EXISTS, which PostgreSQL turns back into one join
            # over every row.
            keep = f" AND ({first}) IS NOT NULL"
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                f"WITH RECURSIVE used(code) AS ("
                f"SELECT MIN({column}) FROM {table} WHERE {column} > '' UNION ALL "
                f"SELECT (SELECT MIN({column}) FROM {table} WHERE {column} > used.code) "
                f"FROM used WHERE used.code IS NOT NULL) "
                f"SELECT code FROM used WHERE code IS NOT NULL{keep}",
                params,
            )
            codes = [code for (code,) in cursor.fetchall()]
        language = get_language()
        return sorted(
            ((code, country_name(code, language)) for code in codes), key=lambda c: fold(c[1])
        )


@functools.lru_cache(maxsize=4096)
def country_name(code, language):
    """A country's name in `language`, looked up once: django-countries asks the
    translations five times a name (0.1 ms)."""
    with translation.override(language):
        return all_countries.name(code)


def related_manager(model, relation):
    """The default manager of the model at the other end of `model`'s relation `relation`.

    Lets an app query the records another app keeps about its own (an organisation's
    meetings) through the reverse relation, without importing the other app.
    """
    return model._meta.get_field(relation).related_model._default_manager


# Saved views are the kernel's only concrete model, kept in their own sub-package
# (core/saved_views/); importing it here registers it with the app.
from core.saved_views import models as saved_view_models  # noqa: E402, F401
