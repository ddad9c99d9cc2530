"""GET /api/v1/compliance/ and /api/v1/compliance/operators/: as-of compliance, scoped."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from miniprograms.models import Operator

from . import selectors
from .calendar import get_workday_calendar
from .engine import summarize
from .models import ComplianceRule
from .rules import ALL_RULES
from .types import ComplianceStatus

MAX_LIMIT = 1000
DEFAULT_LIMIT = 200


class AsOfField(serializers.Field):
    """Strictly YYYY-MM-DD (no basic ISO form, no time part): a Beijing calendar date."""

    default_error_messages = {
        "invalid": _("as_of must be a date in the form YYYY-MM-DD, e.g. 2024-03-31."),
    }
    _FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}")

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not self._FORMAT.fullmatch(data):
            self.fail("invalid")
        try:
            return datetime.date.fromisoformat(data)
        except ValueError:
            self.fail("invalid")

    def to_representation(self, value):
        return value.isoformat()


class ComplianceQuerySerializer(serializers.Serializer):
    as_of = AsOfField()
    operator = serializers.IntegerField(required=False, min_value=1)
    province = serializers.CharField(required=False, max_length=6)
    status = serializers.ChoiceField(choices=ComplianceStatus.choices, required=False)
    rule = serializers.ChoiceField(choices=[(c, c) for c in ALL_RULES], required=False)
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT
    )
    offset = serializers.IntegerField(required=False, min_value=0, default=0)


def _parse(request, serializer_class=ComplianceQuerySerializer) -> dict:
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    data = dict(params.validated_data)
    data.setdefault("as_of", timezone.localdate())  # Asia/Shanghai (settings.TIME_ZONE)
    return data


_QUERY_PARAMS = [
    OpenApiParameter("as_of", str, description="YYYY-MM-DD; default today in Beijing."),
    OpenApiParameter("operator", int),
    OpenApiParameter("province", str, description="Province code, e.g. 330000."),
    OpenApiParameter("status", str, enum=ComplianceStatus.values),
    OpenApiParameter("rule", str, enum=list(ALL_RULES)),
    OpenApiParameter("limit", int, description=f"Items per page, at most {MAX_LIMIT}."),
    OpenApiParameter("offset", int),
]


class ComplianceView(APIView):
    """Compliance items as of a date for the operators the user may see.

    `summary` covers every item matching operator/province/rule (before the status filter
    and the page); `items` is one page of the items also matching `status`.
    """

    @extend_schema(parameters=_QUERY_PARAMS, responses={200: dict})
    def get(self, request):
        q = _parse(request)
        try:
            items = selectors.compliance_items_for_user(
                user=request.user,
                as_of=q["as_of"],
                operator_id=q.get("operator"),
                province=q.get("province"),
                rule=q.get("rule"),
                calendar=get_workday_calendar(),
            )
        except Operator.DoesNotExist:
            raise NotFound(_("Operator not found.")) from None
        summary = summarize(items, as_of=q["as_of"])
        if "status" in q:
            items = [i for i in items if i.status == q["status"]]
        limit, offset = q["limit"], q["offset"]
        rules = {
            r["code"]: r
            for r in ComplianceRule.objects.filter(active=True).values(
                "code", "title", "source", "verified"
            )
        }
        return Response(
            {
                "as_of": q["as_of"],
                "summary": summary,
                "count": len(items),
                "limit": limit,
                "offset": offset,
                "items": [i.to_dict() for i in items[offset : offset + limit]],
                "rules": rules,
            }
        )


class OperatorComplianceQuerySerializer(serializers.Serializer):
    as_of = AsOfField()


class OperatorComplianceView(APIView):
    """Per operator: counts by status, worst status and next deadline, worst first."""

    @extend_schema(parameters=_QUERY_PARAMS[:1], responses={200: dict})
    def get(self, request):
        q = _parse(request, OperatorComplianceQuerySerializer)
        rows = selectors.operator_compliance_for_user(user=request.user, as_of=q["as_of"])
        return Response({"as_of": q["as_of"], "operators": rows})
