"""GET/POST /api/v1/licences/<id>/annual-reports/: a licence's annual reports with receipts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from miniprograms.models import IcpLicence
from miniprograms.selectors import licence_list_for_user

from .licence_reports import annual_report_record
from .models import LicenceAnnualReport
from .selectors import annual_report_list_for_user


class AnnualReportSerializer(serializers.ModelSerializer):
    receipt_name = serializers.CharField(source="receipt.original_name", default=None)

    class Meta:
        model = LicenceAnnualReport
        fields = ["id", "licence", "year", "filed_on", "receipt", "receipt_name", "note"]
        read_only_fields = fields


class AnnualReportInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    filed_on = serializers.DateField(input_formats=["%Y-%m-%d"])
    receipt = serializers.FileField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


def _licence(request, pk: int) -> IcpLicence:
    licence = licence_list_for_user(user=request.user).filter(pk=pk).first()
    if licence is None:
        raise NotFound(_("Licence not found."))
    return licence


class LicenceAnnualReportView(APIView):
    """A licence's annual reports; POST (multipart, with the receipt) records one year's."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=AnnualReportSerializer(many=True))
    def get(self, request, pk: int):
        licence = _licence(request, pk)
        reports = annual_report_list_for_user(user=request.user).filter(licence=licence)
        return Response(AnnualReportSerializer(reports, many=True).data)

    @extend_schema(request=AnnualReportInputSerializer, responses=AnnualReportSerializer)
    def post(self, request, pk: int):
        licence = _licence(request, pk)
        data = AnnualReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = annual_report_record(user=request.user, licence=licence, **data.validated_data)
        return Response(AnnualReportSerializer(report).data, status=status.HTTP_201_CREATED)
