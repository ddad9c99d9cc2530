"""GET /api/v1/audit/: the audit log, scoped and filtered like the dashboard page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError

from accounts.access import can_view_audit_log

from .models import AuditEntry
from .selectors import entries_filtered, entry_list_for_user, object_type_label, parse_filters


class AuditEntrySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="who", read_only=True)
    actor_id = serializers.IntegerField(read_only=True)
    action = serializers.SerializerMethodField()
    object_type = serializers.SerializerMethodField()
    object_type_label = serializers.SerializerMethodField()
    detail = serializers.JSONField(source="additional_data", read_only=True)

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "timestamp",
            "actor",
            "actor_id",
            "organization",
            "action",
            "object_type",
            "object_type_label",
            "object_pk",
            "object_repr",
            "changes",
            "detail",
            "remote_addr",
        ]
        read_only_fields = fields

    def get_action(self, obj: AuditEntry) -> str:
        """create, update, delete, or the access event (e.g. id_revealed)."""
        return obj.access or {0: "create", 1: "update", 2: "delete"}.get(obj.action, "access")

    def get_object_type(self, obj: AuditEntry) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    def get_object_type_label(self, obj: AuditEntry) -> str:
        return object_type_label(obj)


FILTERS = [
    OpenApiParameter("person", str, description="Actor's username (or label such as system)"),
    OpenApiParameter(
        "object_type", str, description='"app_label.model", e.g. miniprograms.operator'
    ),
    OpenApiParameter("q", str, description="Text in the object's name, or its id"),
    OpenApiParameter("action", str, description="create, update, delete or an access event"),
    OpenApiParameter("organization", int),
    OpenApiParameter("date_from", str, description="YYYY-MM-DD"),
    OpenApiParameter("date_to", str, description="YYYY-MM-DD (inclusive)"),
]


@extend_schema(parameters=FILTERS)
class AuditEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Read-only: managers read their organization's entries, superusers all of them."""

    serializer_class = AuditEntrySerializer
    filter_backends: list[Any] = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return AuditEntry.objects.none()
        user = self.request.user
        if not can_view_audit_log(user):
            raise PermissionDenied(_("Only an organization's managers read its audit log."))
        filters, errors = parse_filters(self.request.query_params)
        if errors:
            raise ValidationError({"detail": errors})
        qs = entry_list_for_user(user=user)
        if self.action == "list":
            qs = entries_filtered(qs, filters)
        return qs
