"""The API's schema and docs: for signed-in users unless settings.API_DOCS_PUBLIC.

Swagger UI loads its init script as a file (SpectacularSwaggerSplitView) and its page style
from static/css/swagger.css (templates/drf_spectacular/swagger_ui.html), so the site's
Content Security Policy needs no exception. Redoc is not served (/api/redoc/ redirects
here): it injects <style> elements, runs a blob: worker and fetches its logo from a CDN.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions
from rest_framework.permissions import BasePermission


class SchemaAccess(BasePermission):
    """Anyone when API_DOCS_PUBLIC, else a signed-in user (session or token)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if settings.API_DOCS_PUBLIC:
            return True
        return bool(request.user and request.user.is_authenticated)


class SchemaView(SpectacularAPIView):
    permission_classes = [SchemaAccess]


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI; an anonymous visitor is sent to the sign-in page, then back."""

    permission_classes = [SchemaAccess]

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.PermissionDenied) and (
            not self.request.user.is_authenticated
        ):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)
