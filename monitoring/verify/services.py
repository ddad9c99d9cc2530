"""Writes: a verification with its screenshot, and automatic lookups of the MIIT record.

Each write marks the operator for compliance.tracking, so the rows of about_screen_check,
miit_record_check and miit_record_mismatch follow at once.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import ensure_can_edit_operator
from accounts.types import User
from compliance import tracking
from compliance.models import ComplianceRule
from compliance.rules import DEFAULT_PARAMS
from compliance.rules import RuleCode as R
from core.exceptions import ApplicationError
from core.filenames import redact_filename
from core.queue import enqueue_on_commit
from documents.services import ALLOWED_TYPES, MAX_UPLOAD_BYTES
from miniprograms.models import Domain, MiniProgram
from monitoring.models.verify import (
    LookupStatus,
    MiitLookup,
    ServiceVerification,
    VerificationKind,
)

from . import ratelimit
from .backends import LookupQuery, get_backend
from .subjects import (
    FILED_DOMAIN_Q,
    FILED_MINIPROGRAM_Q,
    SERVICE_MODELS,
    is_filed,
    lookup_type,
    query_for,
)

logger = logging.getLogger(__name__)

LOOKUP_TASK = "monitoring.miit_lookup"


def _check_screenshot(file: UploadedFile) -> tuple[str, int]:
    """The content type and size of an acceptable screenshot (PNG, JPG or PDF whose first
    bytes agree with its extension, not empty, within DOCUMENTS_MAX_UPLOAD_BYTES).
    """
    ext = PurePosixPath(file.name or "").suffix.lower()
    if ext not in ALLOWED_TYPES:
        raise ValidationError(
            {"screenshot": [_("Upload a PNG, JPG or PDF file (got “%(ext)s”).") % {"ext": ext}]}
        )
    if not file.size:
        raise ValidationError({"screenshot": [_("The file is empty.")]})
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "screenshot": [
                    _("The file is %(size)s; the limit is %(limit)s.")
                    % {"size": filesizeformat(file.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)}
                ]
            }
        )
    content_type, magics = ALLOWED_TYPES[ext]
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if not head.startswith(magics):
        raise ValidationError(
            {
                "screenshot": [
                    _("The file content is not a real %(ext)s file.") % {"ext": ext[1:].upper()}
                ]
            }
        )
    return content_type, file.size


@transaction.atomic
def verification_record(
    *,
    user: User,
    service: MiniProgram | Domain,
    kind: str,
    screenshot: UploadedFile,
    verified_on: datetime.date,
    note: str = "",
) -> ServiceVerification:
    """Keep a screenshot proving the About screen (apps) or the MIIT record (any filed
    service) as of `verified_on`; closes the matching compliance item.

    Raises PermissionDeniedError for read-only users, ValidationError keyed by field.
    """
    ensure_can_edit_operator(user, service.operator)
    errors: dict[str, list[str]] = {}
    if kind not in VerificationKind.values:
        errors["kind"] = [_("Choose what was verified.")]
    elif kind == VerificationKind.ABOUT_SCREEN and not isinstance(service, MiniProgram):
        errors["kind"] = [_("Only apps, mini-programs and quick apps have an About screen.")]
    if not is_filed(service):
        errors["service"] = [_("This service has no filing number to verify.")]
    if verified_on > timezone.localdate():
        errors["verified_on"] = [_("The date verified cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    content_type, size = _check_screenshot(screenshot)
    row = ServiceVerification(
        operator=service.operator,
        miniprogram=service if isinstance(service, MiniProgram) else None,
        domain=service if isinstance(service, Domain) else None,
        kind=kind,
        number=service.icp_number,
        verified_on=verified_on,
        note=(note or "").strip(),
        original_name=redact_filename(screenshot.name or "")[:255],
        content_type=content_type,
        size=size,
        created_by=user if user.is_authenticated else None,
        created_at=timezone.now(),
    )
    row.sync_organization()
    row.screenshot.save(screenshot.name or "screenshot", screenshot, save=False)
    stored = row.screenshot.name
    try:
        row.full_clean(exclude=["screenshot"])
        row.save()
    except Exception:
        row.screenshot.storage.delete(stored)
        raise
    tracking.operators_changed([service.operator_id])
    return row


# --- automatic lookups ---------------------------------------------------------------------


class ManualBackendError(ApplicationError):
    """A lookup was asked for while the backend looks nothing up (manual)."""

    status_code = 409


class LookupAlreadyRequestedError(ApplicationError):
    """A lookup of the service was asked for within REQUEST_WINDOW."""

    status_code = 409


REQUEST_WINDOW = 10 * 60  # seconds


def lookup_request(*, user: User, service: MiniProgram | Domain) -> None:
    """Queue a lookup of the service's record (only with an automatic backend)."""
    ensure_can_edit_operator(user, service.operator)
    if not get_backend().automatic:
        raise ManualBackendError(
            _(
                "Automatic lookups are off (MIIT_LOOKUP_BACKEND is “manual”): look the service "
                "up at beian.miit.gov.cn and upload a screenshot."
            )
        )
    if not is_filed(service):
        raise ValidationError({"service": [_("This service has no filing number to verify.")]})
    # One request per service in a window: the lookups share one rate limit (and the vendor's
    # paid quota) across every organization.
    if not cache.add(f"miit-lookup-requested:{_type_of(service)}:{service.pk}", 1, REQUEST_WINDOW):
        raise LookupAlreadyRequestedError(
            _("A lookup of this service was asked for less than 10 minutes ago.")
        )
    enqueue_on_commit(LOOKUP_TASK, _type_of(service), service.pk, user.pk)


def _type_of(service: MiniProgram | Domain) -> str:
    return "miniprogram" if isinstance(service, MiniProgram) else "domain"


@dataclass(frozen=True)
class LookupOutcome:
    """What one run of a lookup did: stored a lookup, had to wait, or skipped."""

    lookup: MiitLookup | None = None
    wait: float = 0.0  # > 0: the rate limit is reached; try again after this many seconds
    skipped: str = ""  # why nothing was looked up (manual backend, service gone or not filed)


def lookup_run(
    *, service_type: str, service_id: int, requested_by_id: int | None = None
) -> LookupOutcome:
    """Look one service up now, within the shared rate limit, and store the result.

    Never raises for the lookup itself: an error is stored (status error, with why) and
    logged, and the manual miit_record_check item stays open.
    """
    backend = get_backend()
    if not backend.automatic:
        return LookupOutcome(skipped="manual backend")
    model = SERVICE_MODELS.get(service_type)
    service = (
        model.objects.select_related("operator").filter(pk=service_id).first() if model else None
    )
    if service is None or not is_filed(service):
        return LookupOutcome(skipped="service gone or not filed")
    wait = ratelimit.acquire()
    if wait > 0:
        return LookupOutcome(wait=wait)
    query = LookupQuery(service_type=lookup_type(service), query=query_for(service))
    result = backend.lookup(query)
    lookup = MiitLookup(
        operator=service.operator,
        miniprogram=service if isinstance(service, MiniProgram) else None,
        domain=service if isinstance(service, Domain) else None,
        queried_at=timezone.now(),
        backend=backend.name,
        query=query.query[:255],
        status=result.status,
        entity_name=result.entity_name,
        number=result.number,
        error=result.error,
        raw=result.raw,
        requested_by_id=requested_by_id,
    )
    lookup.sync_organization()
    lookup.save()
    if result.status == LookupStatus.ERROR:
        logger.warning(
            "MIIT lookup of %s %s failed, the manual check stays open: %s",
            service_type,
            service_id,
            result.error,
        )
    tracking.operators_changed([service.operator_id])
    return LookupOutcome(lookup=lookup)


def _every_days() -> int:
    stored = (
        ComplianceRule.objects.filter(code=R.MIIT_RECORD_CHECK).values_list("params", flat=True)
    ).first()
    params = {**DEFAULT_PARAMS[R.MIIT_RECORD_CHECK], **(stored or {})}
    return int(params["every_days"])


def lookup_sweep(*, now: datetime.datetime | None = None, batch: int | None = None) -> int:
    """Queue a lookup of every filed service without an answered lookup in the rule's
    `every_days` (oldest first, at most `batch`); the task keeps to the rate limit.
    """
    if not get_backend().automatic:
        return 0
    now = now or timezone.now()
    since = now - datetime.timedelta(days=_every_days())
    batch = batch or settings.MIIT_LOOKUP_SWEEP_BATCH
    recent = MiitLookup.objects.filter(queried_at__gte=since).exclude(status=LookupStatus.ERROR)
    queued = 0
    for service_type, model, filed in (
        ("domain", Domain, FILED_DOMAIN_Q),
        ("miniprogram", MiniProgram, FILED_MINIPROGRAM_Q),
    ):
        ids = (
            model.objects.filter(filed)
            .filter(~Q(Exists(recent.filter(**{service_type: OuterRef("pk")}))))
            .order_by("pk")
            .values_list("pk", flat=True)[: batch - queued]
        )
        for pk in ids:
            enqueue_on_commit(LOOKUP_TASK, service_type, pk, None)
            queued += 1
        if queued >= batch:
            break
    return queued
