"""API plumbing shared by every app: error translation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import ApplicationError
from core.parsers import BodyRefused


def exception_handler(exc, context):
    """Service errors become 4xx with a readable body, never 500."""
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, **exc.extra}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            data = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        else:
            data = {"detail": exc.messages}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if isinstance(exc, BodyRefused) and response is not None:
        response.data["code"] = exc.get_codes()  # json_too_deep / body_too_large
    return response


def scoped_pk_field(selector, **kwargs):
    """A PrimaryKeyRelatedField whose queryset comes from a user-scoped selector.

    Another tenant's id is answered exactly like a missing one ("Invalid pk").
    """

    class _Field(serializers.PrimaryKeyRelatedField):
        def get_queryset(self):
            request = self.context.get("request")
            return selector(user=request.user if request else None)

    return _Field(**kwargs)


@extend_schema_field(OpenApiTypes.INT)
class ScopedIdField(serializers.PrimaryKeyRelatedField):
    """scoped_pk_field for serializers without a model (the schema cannot derive the type):
    documented as the integer it is. Another tenant's id is answered like a missing one."""

    def __init__(self, selector: Callable[..., QuerySet], **kwargs: Any) -> None:
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        request = self.context.get("request")
        return self.selector(user=request.user if request else None)


class ServiceModelViewSet(viewsets.ModelViewSet):
    """A viewset whose reads go through a user-scoped selector and whose writes go through
    services. Deletion is not offered: register rows are kept for the audit trail."""

    http_method_names = ["get", "post", "patch", "put", "head", "options"]
    selector: Callable[..., QuerySet]
    create_service: Callable[..., Any]
    update_service: Callable[..., Any]
    update_instance_kwarg: str = ""

    def get_queryset(self):
        return type(self).selector(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = type(self).create_service(
            user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        kwargs = {self.update_instance_kwarg: serializer.instance}
        serializer.instance = type(self).update_service(
            user=self.request.user, **kwargs, **serializer.validated_data
        )
