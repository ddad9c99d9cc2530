"""What each page is compared with: the same data read the cheapest way Django or SQL can.

Aggregate pages: raw SQL computing the same counts (filing stages as of the date, expiry
buckets of every dated register, filed services, readiness). Exports: COPY of the same columns.
The register edit: one bare UPDATE. Lists and detail pages are compared with admin pages,
which pages.py requests itself.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction

BEIJING = ZoneInfo("Asia/Shanghai")
GRANTING = "('new_filing', 'add_service', 'new_access')"

_STAGES = """
SELECT COALESCE(s.to_status, 'draft') AS stage, COUNT(*)
FROM filings_filingapplication f
LEFT JOIN LATERAL (
    SELECT c.to_status FROM filings_filingstatuschange c
    WHERE c.filing_id = f.id AND c.created_at < %(cutoff)s
    ORDER BY c.created_at DESC, c.id DESC LIMIT 1
) s ON true
WHERE f.organization_id = %(org)s AND f.created_at < %(cutoff)s
GROUP BY 1
"""


def _bucket(column: str, warn: int) -> str:
    return (
        f"CASE WHEN {column} IS NULL THEN 'not_applicable' "
        f"WHEN {column} < %(as_of)s THEN 'overdue' "
        f"WHEN {column} <= %(as_of)s + {warn} THEN 'due_soon' ELSE 'compliant' END"
    )


_EXPIRIES = f"""
SELECT 'domain', {_bucket("expires_on", 90)}, COUNT(*) FROM miniprograms_domain
    WHERE organization_id = %(org)s GROUP BY 1, 2
UNION ALL
SELECT 'person', {_bucket("id_expires_on", 60)}, COUNT(*) FROM miniprograms_responsibleperson
    WHERE organization_id = %(org)s GROUP BY 1, 2
UNION ALL
SELECT 'preapproval', {_bucket("expires_on", 60)}, COUNT(*) FROM miniprograms_preapproval
    WHERE organization_id = %(org)s GROUP BY 1, 2
UNION ALL
SELECT 'document', {_bucket("expires_on", 30)}, COUNT(*) FROM documents_document
    WHERE organization_id = %(org)s GROUP BY 1, 2
UNION ALL
SELECT 'licence', {_bucket("expires_on - 90", 30)}, COUNT(*) FROM miniprograms_icplicence
    WHERE organization_id = %(org)s GROUP BY 1, 2
"""  # noqa: S608 - built from constants


def _filed(table: str, fk: str) -> str:
    return f"""
SELECT (s.icp_number <> '' OR EXISTS (
    SELECT 1 FROM filings_filingstatuschange c
    JOIN filings_filingapplication f ON f.id = c.filing_id
    WHERE f.{fk} = s.id AND c.to_status = 'approved' AND f.kind IN {GRANTING}
      AND c.created_at < %(cutoff)s)) AS filed, COUNT(*)
FROM {table} s WHERE s.organization_id = %(org)s GROUP BY 1
"""  # noqa: S608 - built from constants


_READINESS = """
SELECT
  (SELECT COUNT(*) FROM miniprograms_miniprogram WHERE organization_id = %(org)s
     AND lifecycle = 'live' AND (launch_date IS NULL OR launch_date <= %(as_of)s)),
  (SELECT COUNT(*) FROM miniprograms_domain WHERE organization_id = %(org)s
     AND real_name_status = 'verified' AND (live_since IS NULL OR live_since <= %(as_of)s)),
  (SELECT COUNT(DISTINCT operator_id) FROM miniprograms_responsibleperson
     WHERE organization_id = %(org)s AND role = 'entity'
       AND (id_expires_on IS NULL OR id_expires_on > %(as_of)s))
"""

AGGREGATES = (
    _STAGES,
    _EXPIRIES,
    _filed("miniprograms_miniprogram", "miniprogram_id"),
    _filed("miniprograms_domain", "domain_id"),
    _READINESS,
)


def aggregates_sql(*, org_id: int, as_of: datetime.date) -> int:
    """The overview's counts in raw SQL; returns the number of result rows read."""
    day_after = datetime.datetime.combine(
        as_of + datetime.timedelta(days=1), datetime.time(), tzinfo=BEIJING
    )
    params: dict[str, Any] = {"org": org_id, "as_of": as_of, "cutoff": day_after}
    rows = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in AGGREGATES:
            cursor.execute(sql, params)
            rows += len(cursor.fetchall())
    return rows


class _Counter:
    def __init__(self) -> None:
        self.bytes = 0

    def write(self, data: str | bytes) -> int:
        self.bytes += len(data)
        return len(data)


def filings_copy(*, org_id: int) -> int:
    """The filings export's columns through COPY ... TO STDOUT; returns the bytes read."""
    sql = f"""COPY (
        SELECT f.id, o.name_zh, p.name_zh, COALESCE(m.name, d.name, o.name_zh), f.kind,
               f.channel, f.status, f.status_entered_at, f.icp_number, f.reference, f.created_at
        FROM filings_filingapplication f
        JOIN miniprograms_operator o ON o.id = f.operator_id
        JOIN miniprograms_province p ON p.code = o.province_id
        LEFT JOIN miniprograms_miniprogram m ON m.id = f.miniprogram_id
        LEFT JOIN miniprograms_domain d ON d.id = f.domain_id
        WHERE o.organization_id = {int(org_id)}
        ORDER BY f.updated_at DESC
    ) TO STDOUT WITH CSV HEADER"""  # noqa: S608 - an int
    sink = _Counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.cursor.copy_expert(sql, sink)
    return sink.bytes


def domain_update_sql(*, domain_id: int, expires_on: datetime.date) -> int:
    """The register edit as one bare UPDATE in its own transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE miniprograms_domain SET expires_on = %s, updated_at = now() WHERE id = %s",
            [expires_on, domain_id],
        )
        return cursor.rowcount
