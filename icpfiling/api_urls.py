from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts.api import OrganizationViewSet
from audit.api import AuditEntryViewSet
from compliance.api import ComplianceView, OperatorComplianceView
from compliance.api_items import (
    ItemAcknowledgeView,
    ItemAssignView,
    ItemBulkView,
    ItemListView,
    ItemSnoozeView,
    ItemView,
)
from compliance.api_register import DomainStateViewSet, MiniProgramStateViewSet
from documents.api import LicenceAnnualReportView
from filings.api import FilingViewSet, NumberParseView
from imports.api import ImportRunViewSet
from miniprograms.api import LicenceViewSet, OperatorViewSet, PersonViewSet
from notifications.api import NotificationViewSet, WebhookEndpointViewSet
from reports.api import ExportView, ReportRunViewSet
from tokens.api import TokenDetailView, TokenListView, TokenSignInView, TokenSignOutView

router = DefaultRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("operators", OperatorViewSet, basename="operator")
router.register("persons", PersonViewSet, basename="person")
# With their filing state (compliance_state, ?compliance=): see compliance/api_register.py.
router.register("miniprograms", MiniProgramStateViewSet, basename="miniprogram")
router.register("domains", DomainStateViewSet, basename="domain")
router.register("licences", LicenceViewSet, basename="licence")
router.register("filings", FilingViewSet, basename="filing")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("webhooks", WebhookEndpointViewSet, basename="webhook")
router.register("reports", ReportRunViewSet, basename="reportrun")
router.register("imports", ImportRunViewSet, basename="importrun")
router.register("audit", AuditEntryViewSet, basename="auditentry")

urlpatterns = [
    path("monitoring/", include("monitoring.api_urls")),
    path("connectors/", include("connectors.api_urls")),
    path("auth/token/", TokenSignInView.as_view(), name="api-token"),
    path("auth/tokens/", TokenListView.as_view(), name="api-token-list"),
    path("auth/tokens/<int:pk>/", TokenDetailView.as_view(), name="api-token-detail"),
    path("auth/logout/", TokenSignOutView.as_view(), name="api-logout"),
    path("numbers/parse/", NumberParseView.as_view(), name="number-parse"),
    path("compliance/", ComplianceView.as_view(), name="compliance"),
    path("compliance/operators/", OperatorComplianceView.as_view(), name="compliance-operators"),
    path("compliance/items/", ItemListView.as_view(), name="compliance-items"),
    path("compliance/items/bulk/", ItemBulkView.as_view(), name="compliance-items-bulk"),
    path("compliance/items/<int:pk>/", ItemView.as_view(), name="compliance-item"),
    path(
        "compliance/items/<int:pk>/acknowledge/",
        ItemAcknowledgeView.as_view(),
        name="compliance-item-acknowledge",
    ),
    path(
        "compliance/items/<int:pk>/assign/", ItemAssignView.as_view(), name="compliance-item-assign"
    ),
    path(
        "compliance/items/<int:pk>/snooze/", ItemSnoozeView.as_view(), name="compliance-item-snooze"
    ),
    path(
        "licences/<int:pk>/annual-reports/",
        LicenceAnnualReportView.as_view(),
        name="licence-annual-reports",
    ),
    path("exports/<slug:resource>.<slug:fmt>", ExportView.as_view(), name="export"),
    path("exports/<slug:resource>/", ExportView.as_view(), name="export-query"),
    *router.urls,
]
