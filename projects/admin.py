from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from core.admin import FoldedSearchMixin, ReportedFigureAdmin, ReportedFigureInline, SortedByLabels
from core.backoffice import (
    ReturnToRecordPage,
    TabularInline,
    TechnicalTable,
)
from core.changelist import ChosenRecordFilter
from core.history import HistoryAdmin
from core.partial_dates import PeriodForm
from projects.models import ConsortiumMember, Milestone, Programme, Project, ProjectFigure


@admin.register(Programme)
class ProgrammeAdmin(HistoryAdmin):
    list_display = ["name", "short_name"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["sources"]


class ConsortiumMemberInline(TabularInline):
    model = ConsortiumMember
    fields = ["organisation", "role", "notes"]
    autocomplete_fields = ["organisation"]
    extra = 1


class MilestoneInline(TabularInline):
    model = Milestone
    fields = ["kind", "date", "date_precision", "event", "notes"]
    autocomplete_fields = ["event"]
    extra = 0


class ProjectFigureInline(ReportedFigureInline):
    model = ProjectFigure


@admin.register(Project)
class ProjectAdmin(SortedByLabels, ReturnToRecordPage, FoldedSearchMixin, HistoryAdmin):
    list_display = ["acronym", "title", "programme", "status", "started", "ended", "coordinator"]
    list_filter = ["status", "programme", "consortium__role"]
    autocomplete_fields = ["programme", "sources"]
    list_select_related = ["programme"]
    date_hierarchy = "start_date"
    inlines = [ConsortiumMemberInline, MilestoneInline, ProjectFigureInline]
    form = PeriodForm
    fieldsets = [
        (None, {"fields": ["acronym", "title", "programme", "call", "status", ("start", "end")]}),
        (None, {"fields": ["description", "website", "sources"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("consortium", ConsortiumMember.objects.select_related("organisation"))
            )
        )

    @admin.display(description=_("start"), ordering="start_date")
    def started(self, obj):
        return obj.start_display

    @admin.display(description=_("end"), ordering="end_date")
    def ended(self, obj):
        return obj.end_display

    @admin.display(description=_("coordinator"))
    def coordinator(self, obj):
        return obj.coordinator or "—"


@admin.register(ConsortiumMember)
class ConsortiumMemberAdmin(SortedByLabels, TechnicalTable, HistoryAdmin):
    list_display = ["project", "organisation", "role"]
    list_filter = ["role", ("project", ChosenRecordFilter), ("organisation", ChosenRecordFilter)]
    search_fields = ["project__acronym", "organisation__name", "organisation__aliases__name"]
    autocomplete_fields = ["project", "organisation", "sources"]
    list_select_related = ["project", "organisation"]


@admin.register(Milestone)
class MilestoneAdmin(SortedByLabels, TechnicalTable, HistoryAdmin):
    list_display = ["project", "kind", "dated", "event"]
    list_filter = ["kind", ("project", ChosenRecordFilter), ("event", ChosenRecordFilter)]
    search_fields = ["project__acronym", "notes"]
    autocomplete_fields = ["project", "event", "sources"]
    list_select_related = ["project", "event"]
    date_hierarchy = "date"

    @admin.display(description=_("date"), ordering="date")
    def dated(self, obj):
        return obj.date_display


@admin.register(ProjectFigure)
class ProjectFigureAdmin(TechnicalTable, ReportedFigureAdmin):
    list_display = ["project", *ReportedFigureAdmin.list_display]
    autocomplete_fields = ["project", *ReportedFigureAdmin.autocomplete_fields]
    list_select_related = ["project"]
