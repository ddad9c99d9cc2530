"""API of verifications and MIIT lookups, under /api/v1/monitoring/:

- GET/POST verifications/ — the verifications in scope; POST (multipart) records one;
- GET lookups/ — the automatic lookups in scope;
- POST services/<type>/<id>/lookup/ — queue a lookup (http backend only; 409 with manual).

Another organization's service answers 404 like a missing one; bad input is a 400.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from monitoring.models.verify import (
    LookupStatus,
    MiitLookup,
    ServiceVerification,
    VerificationKind,
)
from monitoring.verify import selectors, services

SERVICE_TYPES = ("miniprogram", "domain")


class VerificationSerializer(serializers.ModelSerializer):
    service_type = serializers.CharField(read_only=True)
    recorded_by = serializers.CharField(source="created_by.get_username", default=None)
    evidence_url = serializers.SerializerMethodField()

    class Meta:
        model = ServiceVerification
        fields = [
            "id",
            "operator",
            "service_type",
            "miniprogram",
            "domain",
            "kind",
            "number",
            "verified_on",
            "note",
            "original_name",
            "content_type",
            "size",
            "recorded_by",
            "created_at",
            "evidence_url",
        ]
        read_only_fields = fields

    def get_evidence_url(self, obj: ServiceVerification) -> str:
        from django.urls import reverse

        return reverse("monitoring:verification_evidence", args=[obj.pk])


class VerificationInputSerializer(serializers.Serializer):
    service_type = serializers.ChoiceField(choices=SERVICE_TYPES)
    service_id = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=VerificationKind.choices)
    verified_on = serializers.DateField(input_formats=["%Y-%m-%d"])
    screenshot = serializers.FileField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class LookupSerializer(serializers.ModelSerializer):
    service_type = serializers.CharField(read_only=True)

    class Meta:
        model = MiitLookup
        fields = [
            "id",
            "operator",
            "service_type",
            "miniprogram",
            "domain",
            "queried_at",
            "backend",
            "query",
            "status",
            "entity_name",
            "number",
            "error",
            "raw",
        ]
        read_only_fields = fields


def _service(request, service_type: str, service_id: int):
    try:
        return selectors.service_get_for_user(
            user=request.user, service_type=service_type, service_id=service_id
        )
    except selectors.ServiceNotFoundError:
        raise NotFound(_("Service not found.")) from None


def _filter_service(qs, request):
    """?service_type=&service_id= narrows to one service; ?kind=/?status= as given."""
    params = request.query_params
    service_type = params.get("service_type", "")
    raw_id = params.get("service_id", "")
    if service_type or raw_id:
        if service_type not in SERVICE_TYPES or not (raw_id.isascii() and raw_id.isdigit()):
            raise serializers.ValidationError(
                {"service": [_("Give service_type (miniprogram or domain) and a service_id.")]}
            )
        qs = qs.filter(**{service_type: int(raw_id)})
    return qs


@extend_schema(
    parameters=[
        OpenApiParameter("service_type", str, enum=list(SERVICE_TYPES)),
        OpenApiParameter("service_id", int),
        OpenApiParameter("kind", str, enum=list(VerificationKind.values)),
    ]
)
class VerificationListView(generics.ListAPIView):
    """Verifications in the user's scope, newest first; POST (multipart) records one."""

    serializer_class = VerificationSerializer
    parser_classes = [MultiPartParser, FormParser]
    filter_backends: list = []

    def get_queryset(self):
        qs = _filter_service(
            selectors.verification_list_for_user(user=self.request.user), self.request
        )
        kind = self.request.query_params.get("kind", "")
        if kind:
            if kind not in VerificationKind.values:
                raise serializers.ValidationError({"kind": [_("Unknown kind.")]})
            qs = qs.filter(kind=kind)
        return qs.order_by("-verified_on", "-id")

    @extend_schema(request=VerificationInputSerializer, responses=VerificationSerializer)
    def post(self, request):
        data = VerificationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        service = _service(request, values.pop("service_type"), values.pop("service_id"))
        row = services.verification_record(user=request.user, service=service, **values)
        return Response(VerificationSerializer(row).data, status=status.HTTP_201_CREATED)


@extend_schema(
    parameters=[
        OpenApiParameter("service_type", str, enum=list(SERVICE_TYPES)),
        OpenApiParameter("service_id", int),
        OpenApiParameter("status", str, enum=list(LookupStatus.values)),
    ]
)
class LookupListView(generics.ListAPIView):
    """Automatic lookups in the user's scope, newest first."""

    serializer_class = LookupSerializer
    filter_backends: list = []

    def get_queryset(self):
        qs = _filter_service(selectors.lookup_list_for_user(user=self.request.user), self.request)
        wanted = self.request.query_params.get("status", "")
        if wanted:
            if wanted not in LookupStatus.values:
                raise serializers.ValidationError({"status": [_("Unknown status.")]})
            qs = qs.filter(status=wanted)
        return qs.order_by("-queried_at", "-id")


class LookupRequestView(APIView):
    """Queue a lookup of one service's record (202); 409 when the backend is manual."""

    @extend_schema(request=None, responses={202: None})
    def post(self, request, service_type: str, service_id: int):
        service = _service(request, service_type, service_id)
        services.lookup_request(user=request.user, service=service)
        return Response({"queued": True}, status=status.HTTP_202_ACCEPTED)
