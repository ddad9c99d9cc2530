"""REST API for filing applications and the number parser."""

from typing import Any

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ServiceModelViewSet, scoped_pk_field
from core.idempotency import key_from_request
from icp import numbers
from icp.workflow import allowed_targets
from miniprograms import selectors as register_selectors

from . import selectors, services
from .filters import FilingFilterSet
from .models import (
    FilingApplication,
    FilingComment,
    FilingStatus,
    FilingStatusChange,
    RejectionReason,
)
from .readiness import filing_readiness


class RejectionReasonSerializer(serializers.ModelSerializer):
    field_label = serializers.CharField(read_only=True)

    class Meta:
        model = RejectionReason
        fields = ["field", "field_text", "field_label", "error", "suggestion"]


class StatusChangeSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)
    reasons = RejectionReasonSerializer(many=True, read_only=True)

    class Meta:
        model = FilingStatusChange
        fields = [
            "from_status",
            "to_status",
            "actor",
            "actor_label",
            "note",
            "override_reason",
            "overridden_gaps",
            "created_at",
            "reasons",
        ]


class FilingSerializer(serializers.ModelSerializer):
    operator = scoped_pk_field(register_selectors.operator_list_for_user)
    miniprogram = scoped_pk_field(
        register_selectors.miniprogram_list_for_user, required=False, allow_null=True
    )
    domain = scoped_pk_field(
        register_selectors.domain_list_for_user, required=False, allow_null=True
    )
    province = serializers.CharField(source="operator.province_id", read_only=True)
    authority = serializers.CharField(source="operator.province.authority_zh", read_only=True)
    subject_name = serializers.CharField(read_only=True)
    allowed_transitions = serializers.SerializerMethodField()

    class Meta:
        model = FilingApplication
        fields = [
            "id",
            "operator",
            "miniprogram",
            "domain",
            "subject_name",
            "kind",
            "channel",
            "province",
            "authority",
            "status",
            "status_entered_at",
            "icp_number",
            "reference",
            "notes",
            "planned_for",
            "allowed_transitions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "status_entered_at", "icp_number", "created_at", "updated_at"]
        validators: list[Any] = []

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:  # the subject of an application never changes
            for name in ("operator", "miniprogram", "domain"):
                fields[name].read_only = True
        return fields

    def get_allowed_transitions(self, obj) -> list[str]:
        return sorted(allowed_targets(obj.status, kind=obj.kind, channel=obj.channel))


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", default=None, read_only=True)

    class Meta:
        model = FilingComment
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class FilingDetailSerializer(FilingSerializer):
    history = StatusChangeSerializer(source="status_changes", many=True, read_only=True)
    comments = CommentSerializer(many=True, read_only=True)
    missing = serializers.SerializerMethodField(
        help_text="While submission is a next step: what the readiness check still lists."
    )

    class Meta(FilingSerializer.Meta):
        fields = [*FilingSerializer.Meta.fields, "missing", "history", "comments"]

    def get_missing(self, obj) -> list[dict[str, Any]]:
        allowed = allowed_targets(obj.status, kind=obj.kind, channel=obj.channel)
        if FilingStatus.PROVIDER_REVIEW not in allowed:
            return []
        return [g.as_dict() for g in filing_readiness(obj)]


class ReasonInputSerializer(serializers.Serializer):
    field = serializers.CharField(
        max_length=100, help_text="A key of icp.review_fields, or “other” with field_text."
    )
    field_text = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    error = serializers.CharField()
    suggestion = serializers.CharField(required=False, allow_blank=True, default="")


class TransitionInputSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=FilingStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    icp_number = serializers.CharField(required=False, allow_blank=True, default="")
    reasons = ReasonInputSerializer(many=True, required=False, default=list)
    readiness_override = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="Managers only: submit although the readiness check lists gaps, and why.",
    )


class FilingViewSet(ServiceModelViewSet):
    selector = selectors.filing_list_for_user
    http_method_names = ["get", "post", "patch", "head", "options"]
    update_service = services.filing_update
    update_instance_kwarg = "filing"
    filter_backends = [DjangoFilterBackend]
    filterset_class = FilingFilterSet

    def get_serializer_class(self):
        return FilingDetailSerializer if self.action == "retrieve" else FilingSerializer

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                "status_changes__actor", "status_changes__reasons", "comments__author"
            )
        return qs

    def perform_create(self, serializer):
        serializer.instance = services.filing_create(
            user=self.request.user,
            idempotency_key=key_from_request(self.request),
            **serializer.validated_data,
        )

    @extend_schema(request=TransitionInputSerializer, responses=FilingDetailSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the application along the workflow: 200 with the new state, 409 if not allowed,
        400 with `missing` when it is not ready to submit."""
        filing = self.get_object()  # 404 for not-found and not-yours alike
        data = TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.filing_transition(
            filing_id=filing.pk,
            to_status=v["to"],
            actor=request.user,
            note=v["note"],
            icp_number=v["icp_number"],
            reasons=v["reasons"],
            readiness_override=v["readiness_override"],
        )
        fresh = selectors.filing_get_for_user(user=request.user, filing_id=filing.pk)
        return Response(FilingDetailSerializer(fresh, context={"request": request}).data)

    @extend_schema(request=CommentSerializer, responses=CommentSerializer)
    @action(detail=True, methods=["post"])
    def comments(self, request, pk=None):
        """Add a comment to the application's timeline (editors and managers)."""
        filing = self.get_object()
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = services.filing_comment_add(
            user=request.user,
            filing=filing,
            body=data.validated_data["body"],
            idempotency_key=key_from_request(request),
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class NumberParseInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=200, allow_blank=True)
    lenient = serializers.BooleanField(required=False, default=False)


class NumberParseView(APIView):
    """Parse any filing, licence or public-security number. Public: it reads no tenant data."""

    permission_classes = [AllowAny]

    @extend_schema(request=NumberParseInputSerializer, responses=dict)
    def post(self, request):
        data = NumberParseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            parsed = numbers.parse_number(
                data.validated_data["text"], lenient=data.validated_data["lenient"]
            )
        except numbers.NumberError as e:
            return Response(
                {"detail": e.message, "code": e.code}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response(parsed.to_dict())
