"""The display checker's API: GET /api/v1/monitoring/checks/ (filters domain, operator,
since, until), GET …/checks/<id>/, POST …/domains/<id>/check/ (Check now) and
GET …/findings/ (the findings of each site's last check). Scoped like every read."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.dates import validate_date_range
from icp.display_texts import finding_fix, finding_title
from miniprograms.models import Domain
from monitoring.display import selectors, services
from monitoring.models import CheckStatus, DisplayCheck


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.CharField()
    values = serializers.DictField(child=serializers.CharField())
    title = serializers.SerializerMethodField()
    fix = serializers.SerializerMethodField()

    def get_title(self, obj: dict) -> str:
        return finding_title(obj["code"], obj.get("values") or {})

    def get_fix(self, obj: dict) -> str:
        return finding_fix(obj["code"], obj.get("values") or {})


class CheckSerializer(serializers.ModelSerializer):
    domain = serializers.CharField(source="domain.name")
    findings = FindingSerializer(many=True)
    html_url = serializers.SerializerMethodField()

    class Meta:
        model = DisplayCheck
        fields = [
            "id",
            "domain_id",
            "domain",
            "operator_id",
            "organization_id",
            "status",
            "trigger",
            "queued_at",
            "started_at",
            "finished_at",
            "icp_number",
            "psb_number",
            "final_url",
            "status_code",
            "error_kind",
            "redirects",
            "html_size",
            "numbers",
            "findings",
            "html_url",
        ]

    def get_html_url(self, obj: DisplayCheck) -> str | None:
        return reverse("monitoring:display_html", args=[obj.pk]) if obj.html_size else None


class _Filters(serializers.Serializer):
    domain = serializers.IntegerField(required=False, min_value=1)
    operator = serializers.IntegerField(required=False, min_value=1)
    since = serializers.DateField(
        required=False, input_formats=["%Y-%m-%d"], validators=[validate_date_range]
    )
    until = serializers.DateField(
        required=False, input_formats=["%Y-%m-%d"], validators=[validate_date_range]
    )


def _filtered(request, checks):
    data = _Filters(data=request.query_params)
    if not data.is_valid():
        raise ValidationError(data.errors)
    v = data.validated_data
    if "domain" in v:
        checks = checks.filter(domain_id=v["domain"])
    if "operator" in v:
        checks = checks.filter(operator_id=v["operator"])
    if "since" in v:
        checks = checks.filter(queued_at__date__gte=v["since"])
    if "until" in v:
        checks = checks.filter(queued_at__date__lt=v["until"] + datetime.timedelta(days=1))
    return checks


class CheckListView(generics.ListAPIView):
    """Display checks the user may see, newest first. Filters: domain, operator (ids),
    since, until (YYYY-MM-DD, by the day queued); bad values are 400 naming the parameter."""

    serializer_class = CheckSerializer

    def get_queryset(self):
        return _filtered(self.request, selectors.check_list_for_user(user=self.request.user))


class CheckView(APIView):
    @extend_schema(responses=CheckSerializer)
    def get(self, request, pk: int):
        try:
            check = selectors.check_get_for_user(user=request.user, check_id=pk)
        except DisplayCheck.DoesNotExist:
            raise NotFound(_("Display check not found.")) from None
        return Response(CheckSerializer(check).data)


class CheckNowView(APIView):
    """Queue a check of the site now (editors and managers); the open one if there is."""

    @extend_schema(request=None, responses={202: CheckSerializer})
    def post(self, request, pk: int):
        try:
            domain = selectors.domain_get_for_user(user=request.user, domain_id=pk)
        except Domain.DoesNotExist:
            raise NotFound(_("Domain not found.")) from None
        check = services.display_check_request(user=request.user, domain=domain)
        return Response(CheckSerializer(check).data, status=status.HTTP_202_ACCEPTED)


class FindingRowSerializer(FindingSerializer):
    check_id = serializers.IntegerField()
    domain_id = serializers.IntegerField()
    domain = serializers.CharField()
    operator_id = serializers.IntegerField()
    checked_at = serializers.DateTimeField()


class FindingListView(APIView):
    """The findings of each site's last finished check (what is wrong on display now).
    Filters: domain, operator, since, until."""

    @extend_schema(responses=FindingRowSerializer(many=True))
    def get(self, request):
        checks = _filtered(
            request,
            selectors.check_list_for_user(user=request.user).filter(status=CheckStatus.DONE),
        )
        latest = selectors.latest_per_domain(checks).order_by("domain_id")
        rows = [
            {
                **f,
                "check_id": c.pk,
                "domain_id": c.domain_id,
                "domain": c.domain.name,
                "operator_id": c.operator_id,
                "checked_at": c.finished_at,
            }
            for c in latest
            for f in c.findings
        ]
        return Response(FindingRowSerializer(rows, many=True).data)
