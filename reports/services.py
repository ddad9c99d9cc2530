"""Reports: create a run, render it (at once or in reports.render), store the file."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.language import user_language
from accounts.types import User
from audit.actions import AccessAction
from audit.services import record_event
from core.dates import parse_query_date, validate_date_range
from core.exceptions import ConflictError, PermissionDeniedError
from core.idempotency import idempotent_create
from core.progress import progress_writer
from core.runs import enqueue_run_on_commit, runs_requeue_stale
from miniprograms import selectors as register
from miniprograms.models import Operator

from . import data
from .kinds import KINDS, kind_spec
from .models import ReportRun, RunStatus

logger = logging.getLogger(__name__)

# Celery name of the task that renders a queued run (reports/tasks.py registers it).
RENDER_TASK = "reports.render"
SUPPORTED_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def sync_max_services() -> int:
    """Reports over this many services are built by the reports.render task."""
    return int(settings.REPORTS_SYNC_MAX_SERVICES)


def _clean_as_of(as_of: datetime.date | str | None) -> tuple[datetime.date, list[str]]:
    """The report's date (today when absent) and what is wrong with the one given."""
    if isinstance(as_of, str):
        if not as_of.strip():
            return timezone.localdate(), []
        try:
            return parse_query_date(as_of), []
        except ValidationError as e:
            return timezone.localdate(), e.messages
    try:
        validate_date_range(as_of)  # 9999-12-31 would overflow the deadlines
    except ValidationError as e:
        return timezone.localdate(), e.messages
    return as_of or timezone.localdate(), []


def clean_report_params(
    *, user: User, kind: str, operator_id: int | None, as_of, language: str
) -> tuple[dict, str]:
    """Validate report parameters; return them cleaned with the report language."""
    errors: dict[str, list[str]] = {}
    spec = KINDS.get(kind)
    if spec is None:
        errors["kind"] = [_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(KINDS)}]
    as_of, as_of_errors = _clean_as_of(as_of)
    if as_of_errors:
        errors["as_of"] = as_of_errors
    if language not in SUPPORTED_LANGUAGES:
        errors["language"] = [_("Choose English (en) or Simplified Chinese (zh-hans).")]
    if spec is not None and spec.needs_operator and not operator_id:
        errors["operator"] = [_("This report is about one operator: choose it.")]
    if errors:
        raise ValidationError(errors)
    if operator_id:
        # Not-yours is answered like missing (Operator.DoesNotExist → 404).
        register.operator_get_for_user(user=user, operator_id=int(operator_id))
    params = {"as_of": as_of.isoformat()}
    if operator_id:
        params["operator_id"] = int(operator_id)
    return params, language


def report_run_create(
    *,
    user: User,
    kind: str,
    operator_id: int | None = None,
    as_of: datetime.date | str | None = None,
    language: str | None = None,
    idempotency_key: str = "",
) -> ReportRun:
    """Record the request (who, when, what) and decide how it is built.

    Small reports are rendered at once (the run comes back DONE); large ones are queued for
    the reports.render task after the transaction commits (the run comes back PENDING). A
    broker that is down does not fail the request: the run waits for `report_runs_requeue`.
    Raises ValidationError for bad parameters and Operator.DoesNotExist for an operator the
    user cannot see. With an `idempotency_key`, a second request with the same key returns
    the first one's run (as it is now) instead of starting another.
    """
    if idempotency_key:
        # The parameters are part of the scope: a page that streamed a small report is not
        # reloaded, so its next request (another report) comes with the same key.
        scope = f"reports.run:{kind}:{operator_id or ''}:{as_of or ''}:{language or ''}"
        run, _created = idempotent_create(
            user=user,
            scope=scope[:80],
            key=idempotency_key,
            create=lambda: report_run_create(
                user=user, kind=kind, operator_id=operator_id, as_of=as_of, language=language
            ),
            load=lambda pk: ReportRun.objects.get(pk=pk),
        )
        return run
    params, language = clean_report_params(
        user=user,
        kind=kind,
        operator_id=operator_id,
        as_of=as_of,
        language=language or user_language(user),  # default: the requester's language
    )
    if not user.is_authenticated:  # the pages and the API let only signed-in users here
        raise PermissionDeniedError(_("Sign in first."))
    org_id = None
    if params.get("operator_id"):
        org_id = Operator.objects.values_list("organization_id", flat=True).get(
            pk=params["operator_id"]
        )
    run = ReportRun.objects.create(
        user=user, organization_id=org_id, kind=kind, params=params, language=language
    )
    record_event(AccessAction.REPORT_REQUESTED, actor=user, target=run, detail={"kind": kind})
    size = data.count_services(user=user, operator_id=params.get("operator_id"))
    if size <= sync_max_services():
        report_run_execute(run_id=run.pk)
        run.refresh_from_db()
    else:
        enqueue_run_on_commit(RENDER_TASK, run.pk)
    return run


def report_run_retry(*, user: User, run_id: int) -> ReportRun:
    """Queue a failed run of `user`'s again. Raises ReportRun.DoesNotExist for missing and
    not-yours, ConflictError when the run is not (or no longer) failed: of two retries at
    once, the second finds it pending and changes nothing.
    """
    from .selectors import report_run_get_for_user

    run = report_run_get_for_user(user=user, run_id=run_id)
    moved = ReportRun.objects.filter(pk=run.pk, status=RunStatus.FAILED).update(
        status=RunStatus.PENDING, progress=0, error="", finished_at=None, updated_at=timezone.now()
    )
    if not moved:
        run.refresh_from_db(fields=["status"])
        raise ConflictError(
            _("Only a failed report can be tried again."), extra={"status": run.status}
        )
    record_event(
        AccessAction.REPORT_REQUESTED,
        actor=user,
        target=run,
        detail={"kind": run.kind, "retry": True},
    )
    enqueue_run_on_commit(RENDER_TASK, run.pk)
    run.refresh_from_db()
    return run


def report_runs_requeue() -> list[int]:
    """Re-queue runs whose message was lost: waiting longer than REPORTS_REQUEUE_AFTER (the
    broker was down when they were requested), or "running" longer than any render may take
    (the worker died). Returns their ids.
    """
    waiting = runs_requeue_stale(
        model=ReportRun,
        statuses=[RunStatus.PENDING],
        older_than=datetime.timedelta(seconds=settings.REPORTS_REQUEUE_AFTER),
        task=RENDER_TASK,
    )
    stuck = runs_requeue_stale(
        model=ReportRun,
        statuses=[RunStatus.RUNNING],
        older_than=datetime.timedelta(seconds=settings.REPORTS_RUNNING_STALE_AFTER),
        task=RENDER_TASK,
        reset_to=RunStatus.PENDING,  # the claim takes waiting runs only
    )
    return waiting + stuck


def report_render(
    *, user: User, kind: str, params: dict, language: str = "en", progress=None
) -> bytes:
    """Build the PDF bytes of one report, as `user` sees the register right now."""
    as_of = datetime.date.fromisoformat(params["as_of"])
    operator_id = params.get("operator_id")
    spec = kind_spec(kind)  # an unknown kind fails here, never as another report
    with translation.override(language):
        context = spec.build(user=user, as_of=as_of, operator_id=operator_id, progress=progress)
        title = spec.title(context)
        context.update(
            title=title,
            kind=kind,
            generated_at=timezone.localtime(),
            generated_by=user.get_username(),
            language=language,
        )
        html = render_to_string(spec.template, context)
    if progress:
        progress(60)
    from .pdf import html_to_pdf  # WeasyPrint loads slowly: only when a PDF is made

    return html_to_pdf(html)


def _fail(run_id: int, message: str) -> None:
    now = timezone.now()
    ReportRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
        status=RunStatus.FAILED, error=message[:2000], finished_at=now, updated_at=now
    )


def _claim(run_id: int) -> bool:
    """PENDING → RUNNING in one conditional update; False: taken or finished.

    A run whose worker died is put back to PENDING by the sweep (report_runs_requeue).
    """
    now = timezone.now()
    return bool(
        ReportRun.objects.filter(pk=run_id, status=RunStatus.PENDING).update(
            status=RunStatus.RUNNING, progress=0, updated_at=now
        )
    )


def report_run_execute(*, run_id: int) -> None:
    """Render and store one run. Idempotent: only a waiting run is claimed, so a finished,
    failed or running run is left alone. Never raises: a failure is stored on the run
    (status FAILED, error).

    The report is built with the requesting user's selectors at run time, so access
    revoked since the request is respected (Zulip-style recheck).
    """
    if not _claim(run_id):
        return
    run = ReportRun.objects.select_related("user").get(pk=run_id)
    progress = progress_writer(ReportRun, run.pk)
    try:
        pdf = report_render(
            user=run.user,
            kind=run.kind,
            params=run.params,
            language=run.language,
            progress=progress,
        )
    except Operator.DoesNotExist:
        _fail(run.pk, _("The operator no longer exists or you no longer have access to it."))
        return
    except Exception as exc:  # recorded on the run for the person waiting; logged in full
        logger.exception("report run %s failed", run.pk)
        _fail(run.pk, f"{type(exc).__name__}: {exc}")
        return
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    run.file.save(f"{run.kind}-{run.pk}-{stamp}.pdf", ContentFile(pdf), save=False)
    now = timezone.now()
    stored = ReportRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
        file=run.file.name,
        size_bytes=len(pdf),
        status=RunStatus.DONE,
        progress=100,
        error="",
        finished_at=now,
        updated_at=now,
    )
    if not stored:  # taken over meanwhile: the other render's result stands
        run.file.storage.delete(run.file.name)


def report_filename(run: ReportRun) -> str:
    """The download name of a report run's PDF."""
    as_of = run.params.get("as_of", "")
    return f"{run.kind}-{as_of}-{run.pk}.pdf"
