"""GET /api/v1/compliance/ and /api/v1/compliance/operators/: as-of compliance, scoped."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from core.dates import parse_query_date
from miniprograms.models import Operator

from . import selectors
from .calendar import get_workday_calendar
from .engine import compliance_items, summarize
from .models import ComplianceRule
from .rules import ALL_RULES
from .types import ComplianceStatus

MAX_LIMIT = 1000
# Past any real list, and inside PostgreSQL's bigint: a larger OFFSET is a database error.
MAX_OFFSET = 10_000_000
DEFAULT_LIMIT = 200


class AsOfField(serializers.Field):
    """Strictly YYYY-MM-DD (no basic ISO form, no time part): a Beijing calendar date within
    core.dates' range (2000-01-01..2100-12-31)."""

    default_error_messages = {
        "invalid": _("as_of must be a date in the form YYYY-MM-DD, e.g. 2024-03-31."),
    }

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return parse_query_date(data)
        except DjangoValidationError as e:
            if e.code == "invalid_date":
                self.fail("invalid")
            raise serializers.ValidationError(e.messages, code="date_out_of_range") from None

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
    offset = serializers.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, default=0)


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


def scope_too_large_response(error: selectors.ScopeTooLargeError) -> Response:
    """400 for an as-of date over more operators than a request may evaluate."""
    return Response(
        {
            "code": "scope_too_large",
            "detail": _(
                "Compliance as of another date is evaluated for at most %(limit)s operators "
                "per request; this scope has %(operators)s. Narrow it with operator or "
                "province, or ask for today (the default)."
            )
            % {"limit": error.limit, "operators": error.operators},
            "limit": error.limit,
            "operators_in_scope": error.operators,
        },
        status=400,
    )


def _active_rules() -> dict:
    return {
        r["code"]: r
        for r in ComplianceRule.objects.filter(active=True).values(
            "code", "title", "source", "verified"
        )
    }


class ComplianceView(APIView):
    """Compliance items as of a date for the operators the user may see.

    `summary` covers every item matching operator/province/rule (before the status filter
    and the page); `items` is one page of the items also matching `status`. Today is read
    from the maintained rows (summary.operators: the operators of the returned page);
    another date is evaluated for at most COMPLIANCE_AS_OF_MAX_OPERATORS operators, else
    400 with code "scope_too_large".
    """

    @extend_schema(parameters=_QUERY_PARAMS, responses={200: dict, 400: dict})
    def get(self, request):
        q = _parse(request)
        try:
            if selectors.is_today(q["as_of"]):
                summary, count, page = self._today(request.user, q)
            else:
                summary, count, page = self._as_of(request.user, q)
        except Operator.DoesNotExist:
            raise NotFound(_("Operator not found.")) from None
        except selectors.ScopeTooLargeError as e:
            return scope_too_large_response(e)
        return Response(
            {
                "as_of": q["as_of"],
                "summary": summary,
                "count": count,
                "limit": q["limit"],
                "offset": q["offset"],
                "items": page,
                "rules": _active_rules(),
            }
        )

    @staticmethod
    def _today(user, q: dict) -> tuple[dict, int, list[dict]]:
        items = selectors.item_list_for_user(
            user=user, operator_id=q.get("operator"), province=q.get("province"), rule=q.get("rule")
        )
        summary = selectors.item_summary_for_user(
            user=user, operator_id=q.get("operator"), province=q.get("province"), rule=q.get("rule")
        )
        # The summary covers the same rows before the status filter: it holds the count.
        count = summary["total"]
        if "status" in q:
            items = items.filter(status=q["status"])
            count = summary["by_status"].get(q["status"], 0)
        offset, limit = q["offset"], q["limit"]
        page = list(items[offset : offset + limit])
        on_page = {i.operator_id for i in page}
        summary["operators"] = [
            selectors.operator_compliance_row(op)
            for op in selectors.operators_with_compliance(
                selectors.compliance_operators_for_user(user=user).filter(pk__in=on_page)
            )
        ]
        return summary, count, [_item_dict(i) for i in page]

    @staticmethod
    def _as_of(user, q: dict) -> tuple[dict, int, list[dict]]:
        operators = selectors.compliance_operators_for_user(
            user=user, operator_id=q.get("operator"), province=q.get("province")
        )
        selectors.ensure_as_of_scope(operators)
        items = compliance_items(
            as_of=q["as_of"],
            operators=operators,
            rules=None if q.get("rule") is None else [q["rule"]],
            calendar=get_workday_calendar(),
        )
        summary = summarize(items, as_of=q["as_of"])
        if "status" in q:
            items = [i for i in items if i.status == q["status"]]
        offset, limit = q["offset"], q["limit"]
        return summary, len(items), [i.to_dict() for i in items[offset : offset + limit]]


def _item_dict(row) -> dict:
    """A maintained row in the shape of EvaluatedItem.to_dict()."""
    return {
        "rule": row.rule,
        "subject_type": row.subject_type,
        "subject_id": row.subject_id,
        "subject_name": row.subject_name,
        "operator_id": row.operator_id,
        "operator_name": row.operator_name,
        "organization_id": row.organization_id,
        "province_code": row.province_code,
        "status": row.status,
        "due_date": row.due_date,
        "estimated": row.estimated,
        "message": row.message,
    }


class OperatorComplianceQuerySerializer(serializers.Serializer):
    as_of = AsOfField()
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT
    )
    offset = serializers.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, default=0)


class OperatorComplianceView(APIView):
    """Per operator: counts by status, worst status and next deadline, worst first, paged
    (limit/offset). Today from the maintained summaries; another date evaluated for at most
    COMPLIANCE_AS_OF_MAX_OPERATORS operators, else 400 "scope_too_large"."""

    @extend_schema(
        parameters=[_QUERY_PARAMS[0], *_QUERY_PARAMS[-2:]], responses={200: dict, 400: dict}
    )
    def get(self, request):
        q = _parse(request, OperatorComplianceQuerySerializer)
        operators = selectors.compliance_operators_for_user(user=request.user)
        offset, limit = q["offset"], q["limit"]
        if selectors.is_today(q["as_of"]):
            ranked = selectors.operators_with_compliance(operators)
            count = ranked.count()
            rows = [selectors.operator_compliance_row(op) for op in ranked[offset : offset + limit]]
        else:
            try:
                selectors.ensure_as_of_scope(operators)
            except selectors.ScopeTooLargeError as e:
                return scope_too_large_response(e)
            every = selectors.operator_compliance_as_of(operators=operators, as_of=q["as_of"])
            count, rows = len(every), every[offset : offset + limit]
        return Response(
            {
                "as_of": q["as_of"],
                "count": count,
                "limit": limit,
                "offset": offset,
                "operators": rows,
            }
        )
