"""API endpoints of the app, under /api/v1/connectors/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("accounts", api.AccountViewSet, basename="connector-account")
router.register("runs", api.RunViewSet, basename="connector-run")
router.register("links", api.LinkViewSet, basename="connector-link")
router.register("findings", api.FindingViewSet, basename="connector-finding")

urlpatterns: list = [*router.urls]
