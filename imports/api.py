"""REST API: import runs (upload, preview, commit) and the import templates."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.language import user_language
from core.idempotency import key_from_request
from core.parsers import LimitedJSONParser

from . import retention, selectors, services
from .columns import SHEETS
from .models import ImportRun, ImportStatus
from .workbooks import template_csv, template_xlsx

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportRunSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)
    url = serializers.SerializerMethodField()
    commit_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportRun
        fields = [
            "id",
            "organization",
            "filename",
            "sheet",
            "status",
            "progress",
            "row_count",
            "errors",
            "summary",
            "error",
            "user",
            "created_at",
            "committed_at",
            "url",
            "commit_url",
        ]
        read_only_fields = fields

    def get_url(self, run) -> str:
        """Where to poll the run's status and progress."""
        return reverse("importrun-detail", args=[run.pk])

    def get_commit_url(self, run) -> str | None:
        if run.status not in (ImportStatus.VALID, ImportStatus.FAILED):
            return None
        return reverse("importrun-commit", args=[run.pk])


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    organization = serializers.IntegerField(required=False, min_value=1)
    sheet = serializers.ChoiceField(
        choices=[("", "")] + [(k, k) for k in SHEETS], required=False, default=""
    )


class ImportRunViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Upload a file to preview it (POST, multipart), then commit it (POST …/commit/).

    The upload answers 202 with the run: the worker checks the file (poll `url` until the
    status is valid or invalid). The preview lists every bad row as {sheet, row, field,
    reason}; a commit (202, then poll) writes every row or nothing; a second commit of the
    same run is 409.
    """

    serializer_class = ImportRunSerializer
    parser_classes = [MultiPartParser, FormParser, LimitedJSONParser]
    filterset_fields = ["status"]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return selectors.import_run_list_for_user(user=self.request.user)

    @extend_schema(request=ImportUploadSerializer, responses={202: ImportRunSerializer})
    def create(self, request, *args, **kwargs):
        data = ImportUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        run = services.import_run_create(
            user=request.user,
            content=upload.read(),
            filename=upload.name,
            organization_id=data.validated_data.get("organization"),
            sheet=data.validated_data["sheet"],
            idempotency_key=key_from_request(request),
        )
        data = self.get_serializer(run).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})

    @extend_schema(request=None, responses={200: ImportRunSerializer})
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        run = services.import_run_commit_request(user=request.user, run=self.get_object())
        code = status.HTTP_200_OK if run.status == ImportStatus.COMMITTED else 202
        if run.status == ImportStatus.INVALID:
            code = status.HTTP_409_CONFLICT
        return Response(self.get_serializer(run).data, status=code)

    @extend_schema(request=None, responses={200: ImportRunSerializer})
    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        """Abandon a checked file: the upload is deleted, the run's record stays."""
        run = retention.import_run_discard(user=request.user, run=self.get_object())
        return Response(self.get_serializer(run).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("lang", str, enum=["en", "zh-hans"]),
            OpenApiParameter("sheet", str, enum=list(SHEETS), description="CSV only"),
        ],
        responses={(200, XLSX_MIME): bytes},
    )
    @action(detail=False, methods=["get"], url_path=r"template\.(?P<fmt>xlsx|csv)")
    def template(self, request, fmt=None):
        """The import template, headers in English or Chinese (both are accepted back)."""
        return template_response(
            fmt=fmt,
            language=request.query_params.get("lang") or user_language(request.user),
            sheet=request.query_params.get("sheet", "operators"),
        )


def template_response(*, fmt: str, language: str, sheet: str) -> HttpResponse:
    lang = "zh-hans" if language.startswith("zh") else "en"
    if fmt == "xlsx":
        response = HttpResponse(template_xlsx(lang), content_type=XLSX_MIME)
        name = f"icp-import-template-{lang}.xlsx"
    else:
        if sheet not in SHEETS:
            raise NotFound(_("Unknown sheet."))
        response = HttpResponse(template_csv(sheet, lang), content_type="text/csv; charset=utf-8")
        name = f"icp-import-{sheet}-{lang}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
