"""Provider notices and record changes over the API.

GET/POST /api/v1/monitoring/notices/ (filters ?state=, ?provider=, ?operator=),
GET …/notices/<id>/, POST …/notices/<id>/resolve/, …/withdraw/, …/keep-access/;
GET/POST /api/v1/monitoring/record-changes/ (filters ?domain=, ?miniprogram=).
Reads and the services' role checks go through accounts.access; another organization's notice
or service is answered like a missing one (404 or "Invalid pk").
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ScopedIdField
from filings.models import FilingApplication
from filings.selectors import filing_list_for_user
from miniprograms.models import RecordSource, RecordState, RecordStateChange
from miniprograms.selectors import domain_list_for_user, miniprogram_list_for_user
from miniprograms.services.record import record_state_change

from ..models import NoticeProvider, NoticeState, ProviderNotice
from ..notices import selectors, services

PARSERS = [JSONParser, MultiPartParser, FormParser]


def _id_field(selector, **kwargs) -> ScopedIdField:
    return ScopedIdField(selector, **kwargs)


class NoticeSerializer(serializers.ModelSerializer):
    provider_label = serializers.CharField(read_only=True)
    service = serializers.CharField(source="service.__str__", read_only=True)
    has_evidence = serializers.SerializerMethodField()
    has_fix_evidence = serializers.SerializerMethodField()

    class Meta:
        model = ProviderNotice
        fields = [
            "id",
            "organization_id",
            "operator_id",
            "domain_id",
            "miniprogram_id",
            "service",
            "provider",
            "provider_name",
            "provider_label",
            "received_at",
            "deadline_at",
            "fields_to_fix",
            "note",
            "state",
            "access_kept",
            "fix_filing_id",
            "resolution_note",
            "has_evidence",
            "has_fix_evidence",
            "state_changed_at",
            "created_at",
        ]

    def get_has_evidence(self, obj: ProviderNotice) -> bool:
        return bool(obj.evidence)

    def get_has_fix_evidence(self, obj: ProviderNotice) -> bool:
        return bool(obj.fix_evidence)


class NoticeCreateSerializer(serializers.Serializer):
    domain = _id_field(domain_list_for_user, required=False, allow_null=True)
    miniprogram = _id_field(miniprogram_list_for_user, required=False, allow_null=True)
    provider = serializers.ChoiceField(choices=NoticeProvider.choices)
    provider_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    received_at = serializers.DateTimeField()
    deadline_at = serializers.DateTimeField()
    fields_to_fix = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=30, default=list
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    evidence = serializers.FileField(required=False, allow_null=True)

    def validate(self, attrs):
        if bool(attrs.get("domain")) == bool(attrs.get("miniprogram")):
            raise serializers.ValidationError(
                {"domain": [_("Name exactly one service: a domain or a mini-program/app.")]}
            )
        return attrs


def _notice(request, pk: int) -> ProviderNotice:
    try:
        return selectors.notice_get_for_user(user=request.user, notice_id=pk)
    except ProviderNotice.DoesNotExist:
        raise NotFound() from None


class NoticeListView(generics.ListAPIView):
    serializer_class = NoticeSerializer
    parser_classes = PARSERS

    def get_queryset(self):
        qs = selectors.notice_list_for_user(user=self.request.user)
        q = self.request.query_params
        if (state := q.get("state")) is not None:
            if state not in NoticeState.values:
                raise serializers.ValidationError({"state": [_("Unknown state.")]})
            qs = qs.filter(state=state)
        if (provider := q.get("provider")) is not None:
            if provider not in NoticeProvider.values:
                raise serializers.ValidationError({"provider": [_("Unknown provider.")]})
            qs = qs.filter(provider=provider)
        if (operator := q.get("operator")) is not None:
            if not (operator.isascii() and operator.isdigit()):
                raise serializers.ValidationError({"operator": [_("A whole number.")]})
            qs = qs.filter(operator_id=int(operator))
        return qs

    @extend_schema(request=NoticeCreateSerializer, responses={201: NoticeSerializer})
    def post(self, request):
        data = NoticeCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        notice = services.notice_record(
            user=request.user,
            service=v.get("domain") or v["miniprogram"],
            provider=v["provider"],
            provider_name=v.get("provider_name", ""),
            received_at=v["received_at"],
            deadline_at=v["deadline_at"],
            fields_to_fix=v["fields_to_fix"],
            note=v["note"],
            evidence=v.get("evidence"),
        )
        return Response(NoticeSerializer(notice).data, status=status.HTTP_201_CREATED)


class NoticeDetailView(APIView):
    @extend_schema(responses=NoticeSerializer)
    def get(self, request, pk: int):
        return Response(NoticeSerializer(_notice(request, pk)).data)


class ResolveSerializer(serializers.Serializer):
    fix_filing = _id_field(filing_list_for_user, required=False, allow_null=True)
    evidence = serializers.FileField(required=False, allow_null=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class NoticeResolveView(APIView):
    """Close the notice with its fix: a change filing of the same service, or evidence with
    a note (400 without either; 409 when it is closed already)."""

    parser_classes = PARSERS

    @extend_schema(request=ResolveSerializer, responses=NoticeSerializer)
    def post(self, request, pk: int):
        notice = _notice(request, pk)
        data = ResolveSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        fix_filing: FilingApplication | None = v.get("fix_filing")
        done = services.notice_resolve(
            user=request.user,
            notice=notice,
            note=v["note"],
            fix_filing=fix_filing,
            evidence=v.get("evidence"),
        )
        return Response(NoticeSerializer(done).data)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class NoticeWithdrawView(APIView):
    @extend_schema(request=NoteSerializer, responses=NoticeSerializer)
    def post(self, request, pk: int):
        notice = _notice(request, pk)
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.notice_withdraw(
            user=request.user, notice=notice, note=data.validated_data["note"]
        )
        return Response(NoticeSerializer(done).data)


class NoticeKeepAccessView(APIView):
    @extend_schema(request=NoteSerializer, responses=NoticeSerializer)
    def post(self, request, pk: int):
        notice = _notice(request, pk)
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.notice_keep_access(
            user=request.user, notice=notice, note=data.validated_data["note"]
        )
        return Response(NoticeSerializer(done).data)


# --- record changes ----------------------------------------------------------------------


class RecordChangeSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username", default=None)
    has_evidence = serializers.SerializerMethodField()

    class Meta:
        model = RecordStateChange
        fields = [
            "id",
            "operator_id",
            "domain_id",
            "miniprogram_id",
            "from_state",
            "to_state",
            "effective_on",
            "source",
            "note",
            "actor",
            "has_evidence",
            "created_at",
        ]

    def get_has_evidence(self, obj: RecordStateChange) -> bool:
        return bool(obj.evidence)


class RecordChangeCreateSerializer(serializers.Serializer):
    domain = _id_field(domain_list_for_user, required=False, allow_null=True)
    miniprogram = _id_field(miniprogram_list_for_user, required=False, allow_null=True)
    to_state = serializers.ChoiceField(choices=RecordState.choices)
    # A field named like DRF's Field.source attribute: the metaclass collects it as a field.
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=[c for c in RecordSource.choices if c[0] != RecordSource.FILING]
    )
    effective_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    evidence = serializers.FileField(required=False, allow_null=True)

    def validate(self, attrs):
        if bool(attrs.get("domain")) == bool(attrs.get("miniprogram")):
            raise serializers.ValidationError(
                {"domain": [_("Name exactly one service: a domain or a mini-program/app.")]}
            )
        return attrs


class RecordChangeListView(generics.ListAPIView):
    serializer_class = RecordChangeSerializer
    parser_classes = PARSERS

    def get_queryset(self):
        qs = selectors.record_change_list_for_user(user=self.request.user)
        for field in ("domain", "miniprogram"):
            value = self.request.query_params.get(field)
            if value is not None:
                if not (value.isascii() and value.isdigit()):
                    raise serializers.ValidationError({field: [_("A whole number.")]})
                qs = qs.filter(**{f"{field}_id": int(value)})
        return qs

    @extend_schema(
        request=RecordChangeCreateSerializer, responses={201: RecordChangeSerializer, 200: None}
    )
    def post(self, request):
        """Change a service's record state (201 with the history row; 200 with no body
        change when the state is already that one; 409 for an impossible move)."""
        data = RecordChangeCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        change = record_state_change(
            service=v.get("domain") or v["miniprogram"],
            to_state=v["to_state"],
            source=v["source"],
            actor=request.user,
            effective_on=v.get("effective_on"),
            note=v["note"],
            evidence=v.get("evidence"),
        )
        if change is None:
            return Response({"detail": _("The record state is already that; nothing changed.")})
        return Response(RecordChangeSerializer(change).data, status=status.HTTP_201_CREATED)
