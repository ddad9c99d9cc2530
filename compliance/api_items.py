"""GET /api/v1/compliance/items/<id>/ with its history; POST …/assign/ and …/snooze/."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from . import services
from .models import ComplianceItem, ComplianceItemEvent


class ItemEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username", default=None)

    class Meta:
        model = ComplianceItemEvent
        fields = ["at", "kind", "from_status", "to_status", "actor", "note"]


class ItemSerializer(serializers.ModelSerializer):
    message = serializers.CharField(read_only=True)
    owner = serializers.CharField(source="owner.get_username", default=None)
    current = serializers.SerializerMethodField()
    events = ItemEventSerializer(many=True, read_only=True)

    class Meta:
        model = ComplianceItem
        fields = [
            "id",
            "rule",
            "subject_type",
            "subject_id",
            "subject_name",
            "operator_id",
            "operator_name",
            "organization_id",
            "province_code",
            "status",
            "due_date",
            "due_at",
            "estimated",
            "message",
            "first_seen_at",
            "last_evaluated_at",
            "status_changed_at",
            "closed_at",
            "close_reason",
            "current",
            "owner",
            "snoozed_until",
            "snooze_reason",
            "events",
        ]

    def get_current(self, obj: ComplianceItem) -> bool:
        return obj.closed_at is None


def _item(request, pk: int) -> ComplianceItem:
    try:
        return services.item_get_for_user(user=request.user, item_id=pk)
    except ComplianceItem.DoesNotExist:
        raise NotFound(_("Compliance item not found.")) from None


class ItemView(APIView):
    """One compliance item with its history (who owns it, snoozes, status changes)."""

    @extend_schema(responses=ItemSerializer)
    def get(self, request, pk: int):
        return Response(ItemSerializer(_item(request, pk)).data)


class AssignSerializer(serializers.Serializer):
    owner = serializers.IntegerField(allow_null=True, min_value=1)


class ItemAssignView(APIView):
    @extend_schema(request=AssignSerializer, responses=ItemSerializer)
    def post(self, request, pk: int):
        item = _item(request, pk)
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.item_assign(
            user=request.user, item_id=item.pk, owner_id=data.validated_data["owner"]
        )
        return Response(ItemSerializer(_item(request, pk)).data)


class SnoozeSerializer(serializers.Serializer):
    until = serializers.DateField(allow_null=True, input_formats=["%Y-%m-%d"])
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ItemSnoozeView(APIView):
    @extend_schema(request=SnoozeSerializer, responses=ItemSerializer)
    def post(self, request, pk: int):
        item = _item(request, pk)
        data = SnoozeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.item_snooze(
            user=request.user, item_id=item.pk, until=v["until"], reason=v["reason"]
        )
        return Response(ItemSerializer(_item(request, pk)).data)
