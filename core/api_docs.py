"""The API's schema and docs: for signed-in users unless settings.API_DOCS_PUBLIC.

Swagger UI loads its init script as a file (SpectacularSwaggerSplitView) and its page style
from static/css/swagger.css (templates/drf_spectacular/swagger_ui.html), so the site's
Content Security Policy needs no exception; Redoc injects <style> tags and runs a blob:
worker, so its view alone allows inline styles and blob: workers.
"""

from __future__ import annotations

from typing import Any

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseBase
from django.utils.decorators import method_decorator
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework import exceptions
from rest_framework.permissions import BasePermission


class SchemaAccess(BasePermission):
    """Anyone when API_DOCS_PUBLIC, else a signed-in user (session or token)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if settings.API_DOCS_PUBLIC:
            return True
        return bool(request.user and request.user.is_authenticated)


class _LoginFirst:
    """An anonymous visitor of a docs page is sent to the sign-in page, then back."""

    def handle_exception(self, exc: Exception) -> HttpResponseBase:
        request = self.request  # type: ignore[attr-defined]
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.PermissionDenied) and (
            not request.user.is_authenticated
        ):
            return redirect_to_login(request.get_full_path())
        return super().handle_exception(exc)  # type: ignore[misc]


class SchemaView(SpectacularAPIView):
    permission_classes = [SchemaAccess]


class SwaggerView(_LoginFirst, SpectacularSwaggerSplitView):
    permission_classes = [SchemaAccess]


@method_decorator(
    csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]}),
    name="dispatch",
)
class RedocView(_LoginFirst, SpectacularRedocView):
    permission_classes = [SchemaAccess]
