from django.contrib import admin

from .models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("name", "doc_type", "operator", "expires_on", "uploaded_at")
    list_filter = ("doc_type",)
    search_fields = ("name", "operator__name_zh")
    raw_id_fields = ("operator", "miniprogram", "domain", "preapproval", "filing", "uploaded_by")
    readonly_fields = ("file", "original_name", "content_type", "size", "uploaded_at")

    def has_add_permission(self, request):
        # Uploads go through documents.services.document_upload (type and size checks).
        return False
