"""The worklist's API: GET /api/v1/compliance/items/ (open items, the worklist's filters),
GET …/items/<id>/ with its history, POST …/<id>/assign/, …/<id>/snooze/,
…/<id>/acknowledge/, and POST …/items/bulk/ (several items, all or nothing)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from core.dates import validate_date_range
from core.exceptions import ApplicationError

from . import services
from .filters import ItemFilterSet
from .models import ComplianceItem, ComplianceItemEvent
from .rules import rule_label
from .worklist import annotate_rows, fix_urls, worklist_for_user


class ItemEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username", default=None)

    class Meta:
        model = ComplianceItemEvent
        fields = ["at", "kind", "from_status", "to_status", "actor", "note"]


class ItemSerializer(serializers.ModelSerializer):
    message = serializers.CharField(read_only=True)
    owner = serializers.CharField(source="owner.get_username", default=None)
    acknowledged_by = serializers.CharField(source="acknowledged_by.get_username", default=None)
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
            "priority",
            "acknowledged_at",
            "acknowledged_by",
            "events",
        ]

    def get_current(self, obj: ComplianceItem) -> bool:
        return obj.closed_at is None


class WorkItemSerializer(serializers.ModelSerializer):
    """A worklist row: the item, who owns it (or would by assignment), its snooze and
    acknowledgement, the time left and the link to the form that fixes it."""

    message = serializers.CharField(read_only=True)
    rule_label = serializers.SerializerMethodField()
    owner = serializers.CharField(source="owner.get_username", default=None)
    owner_id = serializers.IntegerField(allow_null=True)
    default_owner = serializers.SerializerMethodField()
    acknowledged_by = serializers.CharField(source="acknowledged_by.get_username", default=None)
    takedown_risk = serializers.SerializerMethodField()
    time_left = serializers.CharField(read_only=True)
    fix_url = serializers.CharField(read_only=True)

    class Meta:
        model = ComplianceItem
        fields = [
            "id",
            "rule",
            "rule_label",
            "subject_type",
            "subject_id",
            "subject_name",
            "operator_id",
            "operator_name",
            "organization_id",
            "province_code",
            "status",
            "severity",
            "priority",
            "takedown_risk",
            "due_date",
            "due_at",
            "time_left",
            "estimated",
            "message",
            "owner",
            "owner_id",
            "default_owner",
            "snoozed_until",
            "snooze_reason",
            "acknowledged_at",
            "acknowledged_by",
            "fix_url",
        ]

    def get_rule_label(self, obj: ComplianceItem) -> str:
        return rule_label(obj.rule)

    def get_default_owner(self, obj: ComplianceItem) -> str | None:
        user = getattr(obj, "default_owner", None)
        return user.get_username() if user is not None else None

    def get_takedown_risk(self, obj: ComplianceItem) -> bool:
        from .rules import Priority

        return obj.priority == Priority.TAKEDOWN


class WorkPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ItemListView(generics.ListAPIView):
    """Open compliance items the user may see (the worklist), worst first by default.

    Filters: operator (repeatable), owner (me | none | user id), rule, status, priority
    (takedown | hours), window (overdue | today | 7d | 30d), province, q, snoozed (hide |
    only | all; hide by default), sort (work | due | client, '-' to reverse); page and
    page_size (at most 200). Invalid values are 400 naming the parameter.
    """

    serializer_class = WorkItemSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ItemFilterSet
    pagination_class = WorkPagination

    def get_queryset(self):
        return worklist_for_user(user=self.request.user)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = annotate_rows(page if page is not None else list(queryset))
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


def _item(request, pk: int) -> ComplianceItem:
    try:
        return services.item_get_for_user(user=request.user, item_id=pk)
    except ComplianceItem.DoesNotExist:
        raise NotFound(_("Compliance item not found.")) from None


def _item_data(request, pk: int) -> dict:
    item = _item(request, pk)
    data = ItemSerializer(item).data
    data["fix_url"] = fix_urls([item]).get(item.pk, "")
    return data


class ItemView(APIView):
    """One compliance item with its history (who owns it, snoozes, status changes)."""

    @extend_schema(responses=ItemSerializer)
    def get(self, request, pk: int):
        return Response(_item_data(request, pk))


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
        return Response(_item_data(request, pk))


class SnoozeSerializer(serializers.Serializer):
    until = serializers.DateField(
        allow_null=True, input_formats=["%Y-%m-%d"], validators=[validate_date_range]
    )
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
        return Response(_item_data(request, pk))


class ItemAcknowledgeView(APIView):
    """Record that the caller has seen the open item and is on it (editors and managers)."""

    @extend_schema(request=None, responses=ItemSerializer)
    def post(self, request, pk: int):
        item = _item(request, pk)
        services.item_acknowledge(user=request.user, item_id=item.pk)
        return Response(_item_data(request, pk))


class BulkSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=services.BulkAction.ALL)
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=False,
        max_length=services.MAX_BULK_ITEMS,
    )
    owner = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    until = serializers.DateField(
        required=False,
        allow_null=True,
        input_formats=["%Y-%m-%d"],
        validators=[validate_date_range],
    )
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if attrs["action"] == services.BulkAction.ASSIGN and "owner" not in attrs:
            raise serializers.ValidationError({"owner": [_("Name the owner (null for nobody).")]})
        if attrs["action"] == services.BulkAction.SNOOZE and not attrs.get("until"):
            raise serializers.ValidationError({"until": [_("Say until when (YYYY-MM-DD).")]})
        return attrs


class BulkResultSerializer(serializers.Serializer):
    action = serializers.CharField()
    items = WorkItemSerializer(many=True)


class ItemBulkView(APIView):
    """Assign, acknowledge or snooze several items at once, all or nothing.

    ``{"action": "assign", "ids": [1, 2], "owner": 7}``, ``{"action": "acknowledge", "ids":
    [...]}``, ``{"action": "snooze", "ids": [...], "until": "2026-12-20", "reason": "..."}``.
    Any refused id (not found — also when not yours —, read-only, or refused by the action)
    gives 400 with ``ids`` naming each one and its reason, and nothing is changed.
    """

    @extend_schema(request=BulkSerializer, responses={200: BulkResultSerializer, 400: dict})
    def post(self, request):
        data = BulkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            done = services.items_bulk(
                user=request.user,
                action=v["action"],
                item_ids=v["ids"],
                owner_id=v.get("owner"),
                until=v.get("until"),
                reason=v.get("reason", ""),
            )
        except ApplicationError as e:
            if e.status_code == 400:
                return Response({"detail": e.message, **e.extra}, status=400)
            raise
        rows = annotate_rows(
            list(worklist_for_user(user=request.user).filter(pk__in=[i.pk for i in done]))
        )
        return Response({"action": v["action"], "items": WorkItemSerializer(rows, many=True).data})
