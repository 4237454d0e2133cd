"""What the API shows and accepts of each record: explicit fields, never `__all__`.

Every write goes through the model's own `full_clean()` (its `clean()` and its database
constraints' messages), as the admin's forms do, so the API cannot store what the admin
would refuse, and a broken rule comes back as a 400 naming the field, never as a 500.
"""

import copy

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_countries.serializers import CountryFieldMixin
from rest_framework import serializers

from core.filters import LARGEST_ID, is_record_id
from events.follow_ups.models import FollowUp
from events.models import Event, ImportRecord, Meeting
from partners.models import Organisation, OrganisationAlias, Partnership, Person
from projects.models import ConsortiumMember, Project

PERIOD_FIELDS = ["start_date", "start_precision", "end_date", "end_precision"]


def as_drf_error(error: DjangoValidationError) -> serializers.ValidationError:
    if hasattr(error, "error_dict"):
        detail = {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): [
                message for item in errors for message in item.messages
            ]
            for field, errors in error.error_dict.items()
        }
        return serializers.ValidationError(detail)
    return serializers.ValidationError({"non_field_errors": error.messages})


class RecordIdField(serializers.PrimaryKeyRelatedField):
    """A related record by id; an id too large for the database is "not found", not a 500."""

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool) and not 0 < data <= LARGEST_ID:
            self.fail("does_not_exist", pk_value=data)
        if isinstance(data, str) and not is_record_id(data):
            self.fail("incorrect_type", data_type="str")
        return super().to_internal_value(data)


class ModelCleanSerializer(CountryFieldMixin, serializers.ModelSerializer):
    """Runs the model's `full_clean()` on the record as it would be saved."""

    serializer_related_field = RecordIdField

    # Fields the serializer writes itself after saving (nested lists, many-to-many).
    written_after_save: tuple[str, ...] = ()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        many = {f.name for f in model._meta.many_to_many} | set(self.written_after_save)
        plain = {key: value for key, value in attrs.items() if key not in many}
        if self.instance is None:
            candidate = model(**plain)
        else:
            candidate = copy.copy(self.instance)
            for key, value in plain.items():
                setattr(candidate, key, value)
        try:
            candidate.full_clean(exclude=[*many])
        except DjangoValidationError as error:
            raise as_drf_error(error) from None
        return attrs


class AliasNamesField(serializers.ListField):
    """The names of a record's aliases, read from their (prefetched) manager."""

    child = serializers.CharField(max_length=200)

    def to_representation(self, aliases):
        return [alias.name for alias in aliases.all()]


class OrganisationSerializer(ModelCleanSerializer):
    aliases = AliasNamesField(
        required=False,
        help_text=_("Other names of the organisation; a write replaces the whole list."),
    )
    partnership_count = serializers.IntegerField(read_only=True)
    active_partnership_count = serializers.IntegerField(read_only=True)
    meeting_count = serializers.IntegerField(read_only=True)
    last_met = serializers.DateField(read_only=True, allow_null=True)
    written_after_save = ("aliases",)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "short_name",
            "aliases",
            "kind",
            "country",
            "city",
            "website",
            "parent",
            "genopole_accompanied",
            "description",
            "networks",
            "partnership_count",
            "active_partnership_count",
            "meeting_count",
            "last_met",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for name in ("partnership_count", "active_partnership_count", "meeting_count"):
            data[name] = getattr(instance, name, None)
        return data

    def validate_aliases(self, names):
        names = [name.strip() for name in names if name.strip()]
        folded = [name.casefold() for name in names]
        if len(set(folded)) != len(folded):
            raise serializers.ValidationError(_("The same alias is given twice."))
        return names

    def validate(self, attrs):
        attrs = super().validate(attrs)
        owner = self.instance or Organisation(name=attrs.get("name", ""))
        for index, name in enumerate(attrs.get("aliases", [])):
            alias = OrganisationAlias(organisation=owner, name=name)
            try:
                alias.full_clean(exclude=["organisation"], validate_constraints=False)
            except DjangoValidationError as error:
                raise serializers.ValidationError({"aliases": {index: error.messages}}) from None
            clash = OrganisationAlias.objects.filter(name__iexact=name)
            if self.instance is not None:
                clash = clash.exclude(organisation=self.instance)
            if clash.exists():
                raise serializers.ValidationError(
                    {"aliases": {index: [_("This alias is already used.")]}}
                )
        return attrs

    @transaction.atomic
    def create(self, validated_data):
        aliases = validated_data.pop("aliases", [])
        organisation = super().create(validated_data)
        self._write_aliases(organisation, aliases)
        return organisation

    @transaction.atomic
    def update(self, instance, validated_data):
        aliases = validated_data.pop("aliases", None)
        organisation = super().update(instance, validated_data)
        if aliases is not None:
            self._write_aliases(organisation, aliases)
        return organisation

    def _write_aliases(self, organisation, names):
        # One by one, so that each alias added or removed has its own history row.
        kept = set()
        for alias in organisation.aliases.all():
            if alias.name in names:
                kept.add(alias.name)
            else:
                alias.delete()
        for name in names:
            if name not in kept:
                OrganisationAlias.objects.create(organisation=organisation, name=name)
        if hasattr(organisation, "_prefetched_objects_cache"):
            organisation._prefetched_objects_cache.pop("aliases", None)


class PersonSerializer(ModelCleanSerializer):
    class Meta:
        model = Person
        fields = [
            "id",
            "first_name",
            "last_name",
            "organisation",
            "role",
            "email",
            "phone",
            "notes",
        ]


class PartnershipSerializer(ModelCleanSerializer):
    class Meta:
        model = Partnership
        fields = ["id", "organisation", "type", "title", "status", *PERIOD_FIELDS, "notes"]


class EventSerializer(ModelCleanSerializer):
    meeting_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "name",
            "series",
            "edition",
            "kind",
            "format",
            *PERIOD_FIELDS,
            "city",
            "country",
            "venue",
            "organiser",
            "website",
            "description",
            "meeting_count",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["meeting_count"] = getattr(instance, "meeting_count", None)
        return data


class MeetingSerializer(ModelCleanSerializer):
    # A meeting's follow-ups are tasks (/follow-ups/): here, read only, what the
    # meetings list shows of them (`with_follow_up_state()`, on the page's queryset).
    follow_up = serializers.CharField(
        source="follow_up_what",
        read_only=True,
        allow_null=True,
        help_text=_(
            "What the meeting's first open follow-up task (else its first task) says; null "
            "without any. Follow-ups are written as follow-up tasks."
        ),
    )
    follow_up_status = serializers.ChoiceField(
        source="follow_up_state",
        choices=Meeting.FollowUp.choices,
        read_only=True,
        help_text=_("Pending while a follow-up task is open, done when all are, else none."),
    )

    def to_internal_value(self, data):
        # Read only, yet once writable: said, rather than dropped without a word.
        sent = [name for name in ("follow_up", "follow_up_status") if name in data]
        if sent:
            raise serializers.ValidationError(
                {
                    name: [_("Follow-ups are follow-up tasks: write them to /follow-ups/.")]
                    for name in sent
                }
            )
        return super().to_internal_value(data)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "date",
            "date_precision",
            "event",
            "organisation",
            "people",
            "accompanied_companies",
            "topic",
            "notes",
            "follow_up",
            "follow_up_status",
            "import_record",
        ]
        read_only_fields = ["import_record"]


class FollowUpSerializer(ModelCleanSerializer):
    """A task about one meeting, organisation or partnership. Closing it is its own action."""

    # Nobody (null) is allowed, as on the admin form; left out, the task is the caller's.
    owner = RecordIdField(
        queryset=get_user_model().objects.filter(is_active=True),
        allow_null=True,
        default=serializers.CurrentUserDefault(),
    )
    owner_name = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "what",
            "due_date",
            "owner",
            "owner_name",
            "meeting",
            "organisation",
            "partnership",
            "state",
            "closed_at",
            "created_at",
        ]
        read_only_fields = ["state", "closed_at", "created_at"]

    def get_owner_name(self, follow_up) -> str | None:
        owner = follow_up.owner
        return (owner.get_full_name() or owner.get_username()) if owner else None


class ConsortiumMemberSerializer(serializers.ModelSerializer):
    serializer_related_field = RecordIdField

    class Meta:
        model = ConsortiumMember
        fields = ["organisation", "role", "notes"]


class ProjectSerializer(ModelCleanSerializer):
    consortium = ConsortiumMemberSerializer(
        many=True,
        required=False,
        help_text=_("The consortium members; a write replaces the whole list."),
    )
    member_count = serializers.IntegerField(read_only=True)
    written_after_save = ("consortium",)

    class Meta:
        model = Project
        fields = [
            "id",
            "acronym",
            "title",
            "programme",
            "call",
            "status",
            *PERIOD_FIELDS,
            "description",
            "website",
            "consortium",
            "member_count",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["member_count"] = getattr(instance, "member_count", None)
        return data

    def validate_consortium(self, members):
        seen = set()
        coordinators = 0
        for index, member in enumerate(members):
            if member["organisation"].pk in seen:
                raise serializers.ValidationError(
                    {
                        index: {
                            "organisation": [_("This organisation is already in the consortium.")]
                        }
                    }
                )
            seen.add(member["organisation"].pk)
            coordinators += member["role"] == ConsortiumMember.Role.COORDINATOR
            if coordinators > 1:
                raise serializers.ValidationError(
                    {index: {"role": [_("A project has only one coordinator.")]}}
                )
        return members

    @transaction.atomic
    def create(self, validated_data):
        members = validated_data.pop("consortium", [])
        project = super().create(validated_data)
        self._write_consortium(project, members)
        return project

    @transaction.atomic
    def update(self, instance, validated_data):
        members = validated_data.pop("consortium", None)
        project = super().update(instance, validated_data)
        if members is not None:
            self._write_consortium(project, members)
        return project

    def _write_consortium(self, project, members):
        # Deletions first, so that moving the coordinator role never holds two at once.
        wanted = {member["organisation"].pk: member for member in members}
        current = {seat.organisation_id: seat for seat in project.consortium.all()}
        for organisation_id, seat in current.items():
            if organisation_id not in wanted:
                seat.delete()
        for seat in current.values():
            member = wanted.get(seat.organisation_id)
            if member and seat.role == ConsortiumMember.Role.COORDINATOR != member["role"]:
                seat.role = member["role"]
                seat.save()
        for organisation_id, member in wanted.items():
            seat = current.get(organisation_id)
            if seat is None:
                ConsortiumMember.objects.create(project=project, **member)
            elif (seat.role, seat.notes) != (member["role"], member.get("notes", "")):
                seat.role, seat.notes = member["role"], member.get("notes", "")
                seat.save()
        if hasattr(project, "_prefetched_objects_cache"):
            project._prefetched_objects_cache.pop("consortium", None)


class ImportRecordSerializer(serializers.ModelSerializer):
    user = serializers.StringRelatedField()
    undone_by = serializers.StringRelatedField()

    class Meta:
        model = ImportRecord
        fields = [
            "id",
            "created_at",
            "user",
            "source",
            "file_name",
            "checksum",
            "file_size",
            "default_event",
            "lines",
            "created",
            "unchanged",
            "skipped",
            "new_contacts",
            "undone_at",
            "undone_by",
        ]
        read_only_fields = fields
