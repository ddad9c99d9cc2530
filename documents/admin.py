from __future__ import annotations

from typing import cast

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from accounts.admin_scope import TenantAdmin

from . import selectors, services
from .models import Document, LicenceAnnualReport


@admin.register(Document)
class DocumentAdmin(TenantAdmin):
    """Uploads go through documents.services.document_upload (type and size checks), from the
    operator's page; here documents are listed, read and deleted through the service."""

    scope = selectors.document_list_for_user
    list_display = ("name", "doc_type", "operator", "expires_on", "uploaded_at")
    list_filter = ("doc_type",)
    search_fields = ("name", "operator__name_zh")
    raw_id_fields = ("operator", "miniprogram", "domain", "preapproval", "filing", "uploaded_by")
    readonly_fields = ("file", "original_name", "content_type", "size", "uploaded_at")

    def service_delete(self, request: HttpRequest, obj: Model) -> None:
        # This admin is registered for Document only.
        services.document_delete(user=request.user, document=cast(Document, obj))


@admin.register(LicenceAnnualReport)
class LicenceAnnualReportAdmin(TenantAdmin[LicenceAnnualReport]):
    """Recorded with the receipt through documents.licence_reports from the licence's page;
    listed and read here."""

    scope = selectors.annual_report_list_for_user
    list_display = ("licence", "year", "filed_on", "recorded_at")
    search_fields = ("licence__number", "licence__operator__name_zh")
    raw_id_fields = ("licence", "receipt", "recorded_by")
