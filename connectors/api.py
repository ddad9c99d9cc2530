"""REST API of connectors, under /api/v1/connectors/: accounts (credentials write-only, only
ever answered masked), check, sync now, runs, vendor objects and findings. Reads go through
connectors.selectors (another organization's row is a 404), writes through connectors.services.
"""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import organization_list_for_user
from core.api import ScopedIdField, scoped_pk_field
from miniprograms.selectors import miniprogram_list_for_user, operator_list_for_user

from . import registry, selectors, services
from .credentials import masked
from .models import ConnectorAccount, ConnectorFinding, ConnectorLink, SyncRun


class AccountSerializer(serializers.ModelSerializer):
    organization = scoped_pk_field(organization_list_for_user, required=False)
    operator = scoped_pk_field(operator_list_for_user, required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=[])
    credentials = serializers.DictField(
        child=serializers.CharField(allow_blank=True), write_only=True, required=False
    )
    credentials_masked = serializers.SerializerMethodField()
    open_findings = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = ConnectorAccount
        fields = [
            "id",
            "organization",
            "kind",
            "name",
            "operator",
            "credentials",
            "credentials_masked",
            "enabled",
            "cadence_minutes",
            "health",
            "health_message",
            "checked_at",
            "last_synced_at",
            "next_sync_at",
            "backoff_until",
            "open_findings",
            "created_at",
        ]
        read_only_fields = [
            "health",
            "health_message",
            "checked_at",
            "last_synced_at",
            "next_sync_at",
            "backoff_until",
            "created_at",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = registry.kind_choices()  # type: ignore[attr-defined]
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["kind"].read_only = True
            self.fields["organization"].read_only = True

    def get_credentials_masked(self, obj: ConnectorAccount) -> dict[str, str]:
        return masked(obj)


class AccountViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """`/api/v1/connectors/accounts/`: managers configure, members read."""

    serializer_class = AccountSerializer

    def get_queryset(self):
        return selectors.account_list_for_user(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.setdefault("credentials", {})
        serializer.instance = services.account_create(user=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("kind", None)
        data.pop("organization", None)
        serializer.instance = services.account_update(
            user=self.request.user, account=serializer.instance, **data
        )

    def perform_destroy(self, instance):
        services.account_delete(user=self.request.user, account=instance)

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        ok, message = services.check_credentials(user=request.user, account=self.get_object())
        return Response({"ok": ok, "message": message})

    @extend_schema(request=None, responses={202: dict, 409: dict})
    @action(detail=True, methods=["post"])
    def sync(self, request, pk=None):
        account = self.get_object()
        run = services.sync_now(user=request.user, account=account)
        body: dict[str, Any] = {"queued": True, "account": account.pk}
        if run is not None:
            body["run"] = RunSerializer(run).data
        return Response(body, status=status.HTTP_202_ACCEPTED)


class RunSerializer(serializers.ModelSerializer):
    duration_seconds = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = SyncRun
        fields = [
            "id",
            "account",
            "trigger",
            "status",
            "only",
            "started_at",
            "finished_at",
            "duration_seconds",
            "objects_seen",
            "changes_applied",
            "findings",
            "errors",
            "message",
            "resume_at",
        ]
        read_only_fields = fields


def _filters(model: type, *fields: str) -> type[django_filters.FilterSet]:
    """A FilterSet whose `account` is a plain number: checked against the scoped queryset
    only, so another organization's account filters to nothing, exactly like a missing one
    (a model choice would answer 400 for the one and 200 for the other)."""
    meta = type("Meta", (), {"model": model, "fields": list(fields)})
    attrs = {"account": django_filters.NumberFilter(field_name="account_id"), "Meta": meta}
    return type(f"{model.__name__}Filter", (django_filters.FilterSet,), attrs)


class RunViewSet(viewsets.ReadOnlyModelViewSet):
    """`/api/v1/connectors/runs/` (?account=<id>)."""

    serializer_class = RunSerializer
    filterset_class = _filters(SyncRun, "status", "trigger")

    def get_queryset(self):
        return selectors.run_list_for_user(user=self.request.user).order_by("-started_at", "-id")


class LinkSerializer(serializers.ModelSerializer):
    open_findings = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = ConnectorLink
        fields = [
            "id",
            "account",
            "kind",
            "external_id",
            "label",
            "miniprogram",
            "domain",
            "filing",
            "vendor_state",
            "seen_at",
            "applied_at",
            "gone_at",
            "open_findings",
        ]
        read_only_fields = fields


class LinkCreateSerializer(serializers.Serializer):
    operator = ScopedIdField(operator_list_for_user)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)


class LinkAttachSerializer(serializers.Serializer):
    miniprogram = ScopedIdField(miniprogram_list_for_user)


class LinkViewSet(viewsets.ReadOnlyModelViewSet):
    """`/api/v1/connectors/links/` (?unlinked=1, ?with_findings=1, ?account=<id>)."""

    serializer_class = LinkSerializer
    filterset_class = _filters(ConnectorLink, "kind")

    def get_queryset(self):
        params = self.request.query_params
        return selectors.link_list_for_user(
            user=self.request.user,
            unlinked=params.get("unlinked") in ("1", "true"),
            with_findings=params.get("with_findings") in ("1", "true"),
        )

    @extend_schema(request=LinkCreateSerializer, responses=LinkSerializer)
    @action(detail=True, methods=["post"], url_path="create", serializer_class=LinkCreateSerializer)
    def create_in_register(self, request, pk=None):
        link = self.get_object()
        ser = LinkCreateSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        services.create_from_link(user=request.user, link=link, **ser.validated_data)
        link = self.get_queryset().get(pk=link.pk)
        return Response(LinkSerializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LinkAttachSerializer, responses=LinkSerializer)
    @action(detail=True, methods=["post"], serializer_class=LinkAttachSerializer)
    def link(self, request, pk=None):
        link = self.get_object()
        ser = LinkAttachSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        services.link_object(user=request.user, link=link, **ser.validated_data)
        return Response(LinkSerializer(self.get_queryset().get(pk=link.pk)).data)


class ConnectorFindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConnectorFinding
        fields = [
            "id",
            "account",
            "link",
            "code",
            "message",
            "details",
            "created_at",
            "resolved_at",
        ]
        read_only_fields = fields


class FindingViewSet(viewsets.ReadOnlyModelViewSet):
    """`/api/v1/connectors/findings/` (?open=1), open ones first."""

    serializer_class = ConnectorFindingSerializer
    filterset_class = _filters(ConnectorFinding, "code")

    def get_queryset(self):
        return selectors.finding_list_for_user(
            user=self.request.user,
            open_only=self.request.query_params.get("open") in ("1", "true"),
        )

    @extend_schema(request=None, responses=ConnectorFindingSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        finding = services.finding_resolve(user=request.user, finding=self.get_object())
        return Response(ConnectorFindingSerializer(finding).data)
