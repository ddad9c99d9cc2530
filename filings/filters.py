"""The filing-application list filter, shared by the API, the dashboard page and the export."""

from __future__ import annotations

from core.filters import FiledFilter, ListFilterSet, SearchFilter, SortFilter
from miniprograms.filters import (
    operator_filter,
    operator_search_filter,
    organization_filter,
    province_filter,
)

from .models import FilingApplication


class FilingFilterSet(ListFilterSet):
    q = SearchFilter(
        fields=[
            "operator__name_zh",
            "icp_number",
            "reference",
            "miniprogram__name",
            "domain__name",
        ]
    )
    organization = organization_filter("operator__organization")
    operator = operator_filter()
    operator_q = operator_search_filter()
    province = province_filter("operator__province")
    filed = FiledFilter(field_name="icp_number")
    sort = SortFilter(
        keys={
            "updated": "updated_at",
            "updated_at": "updated_at",
            "created": "created_at",
            "created_at": "created_at",
            "status": "status",
            "since": "status_entered_at",
            "status_entered_at": "status_entered_at",
            "operator": "operator__name_zh",
            "kind": "kind",
        },
        default="-updated",
    )

    class Meta:
        model = FilingApplication
        fields = ["q", "organization", "operator", "operator_q", "province", "filed", "status",
                  "kind", "channel", "sort"]  # fmt: skip
