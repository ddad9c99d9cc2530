"""Writes of the display checker: queue checks (sweep, "Check now"), run them, keep the
evidence, forget old checks, settings of an organization.

A check is a DisplayCheck row from the moment it is queued; a partial unique constraint keeps
one open check per site, so the sweep and "Check now" are idempotent. Running claims queued
rows (skip_locked), fetches their pages in threads (bounded), then stores each result and
marks the operators for compliance re-evaluation.
"""

from __future__ import annotations

import datetime
import logging
import zlib
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.types import User
from compliance import tracking
from core.exceptions import ConflictError, PermissionDeniedError
from core.queue import enqueue_many_on_commit, enqueue_on_commit
from core.text import scrub_text
from icp.display import OnRecord
from miniprograms.models import Domain, Operator

from ..models.display import (
    OPEN_STATUSES,
    CheckStatus,
    CheckTrigger,
    DisplayCheck,
    MonitoringSettings,
)
from .fetch import Fetched, fetch_home
from .judge import Judged, display_rules, judge_fetched
from .screenshot import screenshot_png

logger = logging.getLogger(__name__)

CHECK_TASK = "monitoring.display_check"
BATCH_TASK = "monitoring.display_check_batch"
DEFAULT_CADENCE_DAYS = 7
# A queued check whose message was lost, or a running one whose worker died, is queued again.
STALE_AFTER = datetime.timedelta(minutes=30)


def live_domains_q(today: datetime.date) -> Q:
    """Sites the checker watches: filed (a number on record) and live."""
    return Q(live_since__isnull=False, live_since__lte=today) & ~Q(icp_number="")


def organization_cadences() -> dict[int, int]:
    """Organization id -> days between checks, for organizations that chose; others weekly.
    Organizations that switched the checker off map to 0.
    """
    return {
        org: days if enabled else 0
        for org, days, enabled in MonitoringSettings.objects.values_list(
            "organization_id", "display_cadence_days", "display_enabled"
        )
    }


def next_check_at(last: datetime.datetime | None, cadence_days: int) -> datetime.datetime | None:
    """When a site checked at `last` is due again (None: checks are off)."""
    if cadence_days <= 0:
        return None
    if last is None:
        return timezone.now()
    return last + datetime.timedelta(days=cadence_days)


def _due_q(now: datetime.datetime) -> Q:
    """Domains whose last finished check is older than their organization's cadence."""
    cadences = organization_cadences()
    by_days: dict[int, list[int]] = {}
    for org, days in cadences.items():
        by_days.setdefault(days, []).append(org)
    off = by_days.pop(0, [])
    q = Q(
        ~Q(organization_id__in=list(cadences)),
        Q(last_done__isnull=True)
        | Q(last_done__lte=now - datetime.timedelta(days=DEFAULT_CADENCE_DAYS)),
    )
    for days, orgs in by_days.items():
        q |= Q(organization_id__in=orgs) & (
            Q(last_done__isnull=True) | Q(last_done__lte=now - datetime.timedelta(days=days))
        )
    return q & ~Q(organization_id__in=off)


def display_sweep(*, now: datetime.datetime | None = None) -> list[int]:
    """Queue a check for each live filed site that is due per its organization's cadence
    (up to DISPLAY_SWEEP_LIMIT, oldest first), re-queue lost ones, and enqueue them in
    batches. Running it twice queues nothing twice. Returns the queued check ids.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    open_domains = DisplayCheck.objects.filter(status__in=OPEN_STATUSES).values("domain_id")
    last_number = (
        DisplayCheck.objects.filter(domain_id=OuterRef("pk"), status=CheckStatus.DONE)
        .order_by("-finished_at", "-pk")
        .values("icp_number")[:1]
    )
    off = [org for org, days in organization_cadences().items() if days <= 0]
    due = (
        Domain.objects.filter(live_domains_q(today))
        .exclude(pk__in=open_domains)
        .annotate(
            last_done=Max(
                "display_checks__finished_at",
                filter=Q(display_checks__status=CheckStatus.DONE),
            ),
            last_number=Subquery(last_number),
        )
        # due by the cadence, or the number on record changed since the last check
        .filter(
            _due_q(now)
            | (
                Q(last_number__isnull=False)
                & ~Q(last_number=F("icp_number"))
                & ~Q(organization_id__in=off)
            )
        )
        .order_by(F("last_done").asc(nulls_first=True), "pk")
        .values_list("pk", "operator_id", "organization_id")[: settings.DISPLAY_SWEEP_LIMIT]
    )
    rows = [DisplayCheck(domain_id=pk, operator_id=op, organization_id=org) for pk, op, org in due]
    with transaction.atomic():
        created = DisplayCheck.objects.bulk_create(rows, ignore_conflicts=True)
        # ignore_conflicts leaves pks unset: read back what is queued and not yet sent.
        stale = now - STALE_AFTER
        DisplayCheck.objects.filter(status=CheckStatus.RUNNING, started_at__lt=stale).update(
            status=CheckStatus.QUEUED, started_at=None
        )
        queued = list(
            DisplayCheck.objects.filter(status=CheckStatus.QUEUED)
            .filter(Q(domain_id__in=[r.domain_id for r in created]) | Q(queued_at__lt=stale))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        size = max(1, int(settings.DISPLAY_CHECK_BATCH_SIZE))
        for i in range(0, len(queued), size):
            enqueue_on_commit(BATCH_TASK, queued[i : i + size])
    return queued


class CheckerOffError(ConflictError):
    """A "Check now" for a site whose organization switched the checker off."""


def display_check_request(*, user: User, domain: Domain) -> DisplayCheck:
    """Queue a check of `domain` for `user` ("Check now"; editors and managers), or
    return the one already queued or running.
    """
    if not access.can_edit_operator(user, domain.operator):
        raise PermissionDeniedError(access.operator_refusal_reason(user, domain.operator))
    if organization_cadences().get(domain.organization_id) == 0:
        raise CheckerOffError(
            _(
                "The display checker is off for this organization: a manager can switch it "
                "on under Monitoring → Settings."
            )
        )
    existing = DisplayCheck.objects.filter(domain=domain, status__in=OPEN_STATUSES).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            check = DisplayCheck.objects.create(
                domain=domain,
                operator_id=domain.operator_id,
                trigger=CheckTrigger.MANUAL,
                requested_by=user if user.is_authenticated else None,
            )
    except IntegrityError:  # queued by someone else a moment ago
        return DisplayCheck.objects.get(domain=domain, status__in=OPEN_STATUSES)
    enqueue_many_on_commit(CHECK_TASK, [check.pk])
    return check


@dataclass
class _Job:
    check_id: int
    host: str
    record: OnRecord


def _claim(check_ids: Iterable[int], now: datetime.datetime) -> list[_Job]:
    with transaction.atomic():
        claimed = list(
            DisplayCheck.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=list(check_ids), status=CheckStatus.QUEUED)
            .select_related("domain")
            .order_by("pk")
        )
        DisplayCheck.objects.filter(pk__in=[c.pk for c in claimed]).update(
            status=CheckStatus.RUNNING, started_at=now
        )
    return [
        _Job(
            c.pk,
            c.domain.name,
            OnRecord(c.domain.icp_number, c.domain.psb_number, c.domain.live_since),
        )
        for c in claimed
    ]


def display_checks_run(check_ids: Iterable[int], *, now: datetime.datetime | None = None) -> int:
    """Run queued checks: claim them, fetch and judge their pages (up to
    DISPLAY_CHECK_CONCURRENCY at once), store each result. Checks already claimed or done
    are skipped, so a repeated message does nothing. Returns how many were run.
    """
    now = now or timezone.now()
    jobs = _claim(check_ids, now)
    if not jobs:
        return 0
    rules = display_rules()
    today = timezone.localdate(now)

    def work(job: _Job) -> tuple[_Job, Fetched, Judged]:
        try:
            fetched = fetch_home(job.host)
            return job, fetched, judge_fetched(fetched, job.record, rules, today=today)
        except Exception as exc:  # one odd page must not fail (and re-run) the whole batch
            logger.exception("display check of %s failed", job.host)
            fetched = Fetched(url=job.host, error_kind="check_failed", error_detail=str(exc))
            return job, fetched, judge_fetched(fetched, job.record, rules, today=today)

    workers = max(1, min(int(settings.DISPLAY_CHECK_CONCURRENCY), len(jobs)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(work, jobs))
    operators: set[int] = set()
    for job, fetched, judged in results:
        try:
            with transaction.atomic():
                check = _store(job, fetched, judged)
        except Exception:  # one unstorable answer must not leave the others running
            logger.exception("display check %s could not be stored", job.check_id)
            failed = Fetched(url=job.host, error_kind="check_failed", error_detail="not stored")
            check = _store(job, failed, judge_fetched(failed, job.record, rules, today=today))
        operators.add(check.operator_id)
        _purge_old(check.domain_id)
    tracking.operators_changed(operators)
    return len(results)


def _store(job: _Job, fetched: Fetched, judged: Judged) -> DisplayCheck:
    check = DisplayCheck.objects.get(pk=job.check_id)
    check.finished_at = timezone.now()
    check.status = CheckStatus.DONE
    check.icp_number = job.record.icp_number
    check.psb_number = job.record.psb_number
    # What a site answers is stored scrubbed: PostgreSQL refuses a NUL in text and in jsonb.
    check.final_url = scrub_text(fetched.final_url)[:2000]
    check.status_code = fetched.status
    check.error_kind = fetched.error_kind
    check.error_detail = scrub_text(fetched.error_detail)[:500]
    check.redirects = [scrub_text(url) for url in fetched.redirects[:20]]
    check.content_type = scrub_text(fetched.content_type)[:100]
    if fetched.body:
        check.html_gz = zlib.compress(fetched.body, 6)
        check.html_size = len(fetched.body)
    check.findings = _scrubbed(judged.findings)
    check.numbers = _scrubbed(judged.numbers)
    if fetched.body and settings.DISPLAY_CHECK_SCREENSHOTS:
        png = screenshot_png(fetched.body, fetched.content_type)
        if png:
            check.screenshot.save("page.png", ContentFile(png), save=False)
    check.save()
    return check


def _scrubbed(value: Any) -> Any:
    """A JSON value with every string scrubbed of control characters."""
    if isinstance(value, str):
        return scrub_text(value, multiline=True)
    if isinstance(value, list):
        return [_scrubbed(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _scrubbed(v) for k, v in value.items()}
    return value


def _purge_old(domain_id: int) -> int:
    """Keep the newest DISPLAY_CHECK_KEEP finished checks of a site (and their screenshots)."""
    keep = max(1, int(settings.DISPLAY_CHECK_KEEP))
    old = list(
        DisplayCheck.objects.filter(domain_id=domain_id, status=CheckStatus.DONE).order_by(
            "-finished_at", "-pk"
        )[keep:]
    )
    for check in old:
        if check.screenshot:
            check.screenshot.delete(save=False)
    DisplayCheck.objects.filter(pk__in=[c.pk for c in old]).delete()
    return len(old)


def monitoring_settings_update(
    *, user: User, organization_id: int, cadence_days: int, enabled: bool
) -> MonitoringSettings:
    """Managers set how often their organization's sites are checked."""
    access.ensure_can_manage_organization(user, organization_id)
    row, _ = MonitoringSettings.objects.get_or_create(organization_id=organization_id)
    row.display_cadence_days = cadence_days
    was_enabled = row.display_enabled
    row.display_enabled = enabled
    row.full_clean()
    row.save()
    if was_enabled != enabled:  # the site_display items turn (not) applicable
        tracking.operators_changed(
            Operator.objects.filter(organization_id=organization_id).values_list("pk", flat=True)
        )
    return row
