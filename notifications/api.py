"""REST API: the user's notifications, preferences and calendar feed; organization webhooks."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import organization_list_for_user
from core.api import scoped_pk_field

from . import selectors, services
from .channels import mask_url
from .filters import NotificationFilterSet
from .models import Notification, NotificationPreference, WebhookEndpoint


class NotificationSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True)
    subject_type = serializers.CharField(source="reminder.subject_type", read_only=True)
    subject_id = serializers.IntegerField(source="reminder.subject_id", read_only=True)
    rule = serializers.CharField(source="reminder.rule", read_only=True)
    due_date = serializers.DateField(source="reminder.due_date", read_only=True)
    operator = serializers.IntegerField(source="reminder.operator_id", read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "state",
            "operator",
            "subject_type",
            "subject_id",
            "rule",
            "due_date",
            "created_at",
            "read_at",
            "acknowledged_at",
            "acknowledged_role",
        ]
        read_only_fields = fields


class PreferenceSerializer(serializers.ModelSerializer):
    language = serializers.ChoiceField(choices=settings.LANGUAGES, source="user.language")
    webhook_url = serializers.CharField(required=False, allow_blank=True, write_only=True)
    webhook = serializers.SerializerMethodField()

    class Meta:
        model = NotificationPreference
        fields = [
            "email",
            "in_app",
            "mode",
            "language",
            "webhook_url",
            "webhook",
            "webhook_removed_reason",
        ]
        read_only_fields = ["webhook_removed_reason"]

    def get_webhook(self, obj) -> str:
        return mask_url(obj.webhook_url)


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """`/api/v1/notifications/`: the requesting user's own notifications only."""

    serializer_class = NotificationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = NotificationFilterSet

    def get_queryset(self):
        return selectors.notification_list_for_user(user=self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        n = services.notification_mark_read(notification=self.get_object())
        return Response(NotificationSerializer(n).data)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        n = services.notification_acknowledge(user=request.user, notification=self.get_object())
        return Response(NotificationSerializer(n).data)

    @extend_schema(request=PreferenceSerializer, responses=PreferenceSerializer)
    @action(detail=False, methods=["get", "patch"], serializer_class=PreferenceSerializer)
    def preferences(self, request):
        pref = services.preference_for(user=request.user)
        if request.method == "PATCH":
            ser = PreferenceSerializer(pref, data=request.data, partial=True)
            ser.is_valid(raise_exception=True)
            data = dict(ser.validated_data)
            if "user" in data:
                data["language"] = data.pop("user")["language"]
            pref = services.preference_update(user=request.user, **data)
        return Response(PreferenceSerializer(pref).data)

    @extend_schema(request=None, responses={200: dict})
    @action(detail=False, methods=["get"], url_path="calendar")
    def calendar(self, request):
        feed = selectors.calendar_feed_for_user(user=request.user)
        return Response(
            {
                "active": feed is not None,
                "created_at": feed.created_at if feed else None,
                "last_used_at": feed.last_used_at if feed else None,
            }
        )

    @extend_schema(request=None, responses={201: dict})
    @action(detail=False, methods=["post"], url_path="calendar/regenerate")
    def calendar_regenerate(self, request):
        """A new secret feed URL, shown once; the previous URL stops working."""
        token = services.calendar_feed_regenerate(user=request.user)
        url = request.build_absolute_uri(reverse("calendar-feed", kwargs={"token": token}))
        return Response({"url": url}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=False, methods=["post"], url_path="calendar/revoke")
    def calendar_revoke(self, request):
        services.calendar_feed_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookEndpointSerializer(serializers.ModelSerializer):
    organization = scoped_pk_field(organization_list_for_user)
    url = serializers.CharField(write_only=True)
    masked_url = serializers.SerializerMethodField()

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "organization",
            "name",
            "kind",
            "url",
            "masked_url",
            "language",
            "is_active",
            "disabled_reason",
            "created_at",
        ]
        read_only_fields = ["is_active", "disabled_reason", "created_at"]

    def get_masked_url(self, obj) -> str:
        return mask_url(obj.url)


class WebhookEndpointViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """`/api/v1/webhooks/`: the organization's bots; secrets never leave the server."""

    serializer_class = WebhookEndpointSerializer

    def get_queryset(self):
        return selectors.webhook_endpoint_list_for_user(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.webhook_endpoint_create(
            user=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.webhook_endpoint_delete(user=self.request.user, endpoint=instance)
