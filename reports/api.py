"""REST API: report runs and list exports."""

from __future__ import annotations

import json

from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.language import user_language
from accounts.types import User
from audit.actions import AccessAction
from audit.services import record_event
from core.exceptions import ConflictError
from core.idempotency import key_from_request
from miniprograms.models import Operator

from . import exports, selectors, services
from .kinds import report_kind_choices
from .models import ReportRun, RunStatus

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportRunSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportRun
        fields = [
            "id",
            "kind",
            "params",
            "language",
            "status",
            "progress",
            "size_bytes",
            "error",
            "user",
            "created_at",
            "finished_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, run) -> str | None:
        if run.status != RunStatus.DONE:
            return None
        url = reverse("reportrun-download", args=[run.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ReportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=report_kind_choices())
    operator = serializers.IntegerField(required=False, min_value=1)
    as_of = serializers.DateField(required=False, input_formats=["iso-8601"])
    # Default: the requesting user's language.
    language = serializers.ChoiceField(choices=services.SUPPORTED_LANGUAGES, required=False)


class ReportRunViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """POST a report request; small reports come back done (201), large ones queued (202).

    Poll `GET /reports/{id}/` for `status` and `progress`; fetch `download_url` when done.
    """

    serializer_class = ReportRunSerializer
    filterset_fields = ["kind", "status"]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return selectors.report_run_list_for_user(user=self.request.user)

    @extend_schema(request=ReportRequestSerializer, responses={201: ReportRunSerializer})
    def create(self, request, *args, **kwargs):
        data = ReportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            run = services.report_run_create(
                user=request.user,
                kind=v["kind"],
                operator_id=v.get("operator"),
                as_of=v.get("as_of"),
                language=v.get("language") or user_language(request.user),
                idempotency_key=key_from_request(request),
            )
        except Operator.DoesNotExist:
            raise NotFound(_("Operator not found.")) from None
        queued = run.status == RunStatus.PENDING
        code = status.HTTP_202_ACCEPTED if queued else status.HTTP_201_CREATED
        return Response(self.get_serializer(run).data, status=code)

    @extend_schema(request=None, responses={202: ReportRunSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Queue a failed run again (202); 409 when it is not failed (any more)."""
        try:
            run = services.report_run_retry(user=request.user, run_id=int(pk or 0))
        except ReportRun.DoesNotExist:
            raise NotFound(_("Not found.")) from None
        return Response(self.get_serializer(run).data, status=status.HTTP_202_ACCEPTED)

    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The PDF of a finished run (409 while it is still being built)."""
        run = self.get_object()
        if run.status != RunStatus.DONE or not run.file:
            raise ConflictError(_("This report is not ready yet."), extra={"status": run.status})
        record_event(
            AccessAction.REPORT_DOWNLOADED, actor=request.user, target=run, request=request
        )
        return FileResponse(
            run.file.open("rb"),
            as_attachment=True,
            filename=services.report_filename(run),
            content_type="application/pdf",
        )


class _FileRenderer(BaseRenderer):
    """Lets `?format=csv|xlsx` through content negotiation; the view returns the file."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes | str):
            return data
        return json.dumps(data, default=str).encode()


class CSVRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"


class XLSXRenderer(_FileRenderer):
    media_type = XLSX_MIME
    format = "xlsx"


def export_response(*, user: User, resource: str, fmt: str, params) -> HttpResponseBase:
    """The export file, streamed; raises KeyError (unknown resource) or exports.ExportError."""
    export = exports.export_rows(user=user, resource=resource, params=params)
    filename = exports.export_filename(resource, fmt)
    if fmt == "xlsx":
        # Built in a temporary file, then streamed from it; closing the response deletes it.
        return FileResponse(
            exports.xlsx_file(export, title=resource),
            as_attachment=True,
            filename=filename,
            content_type=XLSX_MIME,
        )
    response = StreamingHttpResponse(
        exports.csv_stream(export), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ExportView(APIView):
    """`GET /exports/<resource>.<csv|xlsx>` (or `/exports/<resource>/?format=`).

    Accepts the same query parameters as the list of that resource (`/api/v1/operators/`
    etc.; compliance: those of `/api/v1/compliance/`). Formula-like cells are neutralised;
    personal data is masked unless the user may reveal it.
    """

    renderer_classes = [JSONRenderer, CSVRenderer, XLSXRenderer]

    @extend_schema(responses={(200, "text/csv"): bytes, (200, XLSX_MIME): bytes})
    def get(self, request, resource: str, fmt: str | None = None):
        fmt = fmt or request.query_params.get("format", "csv")
        if resource not in exports.RESOURCES or fmt not in exports.FORMATS:
            raise NotFound(_("Unknown export."))
        try:
            return export_response(
                user=request.user, resource=resource, fmt=fmt, params=request.query_params
            )
        except exports.ExportError as e:
            raise ValidationError(e.detail) from None
