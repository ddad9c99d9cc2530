"""Import runs: upload → preview (every row validated, nothing kept) → commit (all or nothing).

A commit that wrote rows asks `compliance.tracking` to re-evaluate the operators concerned:
the bulk writes do not go through the services' saves.

The request only checks what costs nothing (extension, size, the zip's directory) and stores
the file and the run; the imports.preview and imports.commit tasks read it and store their
progress on the run. A run the broker never received is queued again by imports.sweep
(recovery.py). Every change of a run's status is a conditional UPDATE from the status it
must be in, so of two concurrent requests one wins and the other gets a ConflictError.
"""

from __future__ import annotations

import contextlib
import io
import logging
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can_import, ensure_can_import, organization_list_for_user
from accounts.types import User
from audit.actions import AccessAction
from audit.context import acting_for
from audit.services import record_event
from compliance import tracking
from core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from core.filenames import redact_filename
from core.idempotency import idempotent_create
from core.progress import progress_writer
from core.queue import enqueue_many_on_commit

from .importer import Importer, ImportResult
from .limits import LimitError, xlsx_check_directory
from .models import ImportRun, ImportStatus
from .reader import FileError, RowError, read_file
from .retention import ABANDONABLE, import_run_discard
from .workbooks import problems_csv, problems_xlsx

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# Celery names of the tasks below (imports/tasks.py registers them under these names).
PREVIEW_TASK = "imports.preview"
COMMIT_TASK = "imports.commit"


def enqueue(task: str, run_ids: list[int]) -> None:
    """Queue `task` for these runs after the commit. Should the broker be down, the runs stay
    PENDING or QUEUED, which imports.sweep queues again later: the request still succeeds.
    """

    def left_for_the_sweep(ids: list[int]) -> None:
        logger.warning("import runs %s not queued (%s): left for imports.sweep", ids, task)

    enqueue_many_on_commit(task, run_ids, on_failure=left_for_the_sweep)


def _organization_for(*, user: User, organization_id: int | None):
    orgs = organization_list_for_user(user=user)
    if organization_id is None:
        editable = [o for o in orgs if can_import(user, o.pk)]
        if not editable and len(orgs) == 1:
            ensure_can_import(user, orgs[0].pk)  # refused, with the reason
        if len(editable) != 1:
            raise ApplicationError(_("Choose the organization to import into."))
        return editable[0]
    org = orgs.filter(pk=organization_id).first()
    if org is None:
        raise ApplicationError(_("Choose the organization to import into."))
    ensure_can_import(user, org.pk)  # accounts.access: not for members limited to assigned
    return org


def _check_before_parsing(content: bytes, filename: str) -> None:
    """What costs nothing to check: size, extension and, for an XLSX, the zip's directory."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ApplicationError(_("The file is larger than 20 MB."))
    lower = filename.lower()
    if not lower.endswith((".xlsx", ".csv")):
        raise ApplicationError(_("Upload an .xlsx or a .csv file."))
    if lower.endswith(".xlsx"):
        try:
            xlsx_check_directory(io.BytesIO(content))
        except LimitError as e:
            raise ApplicationError(str(e)) from None


def import_run_create(
    *,
    user: User,
    content: bytes,
    filename: str,
    organization_id: int | None = None,
    sheet: str = "",
    replaces: ImportRun | None = None,
    idempotency_key: str = "",
) -> ImportRun:
    """Store the upload as a PENDING run and queue its preview (imports.preview).

    `replaces`: the user's earlier run this file corrects; its upload is discarded.
    Raises ApplicationError (400/403) for an unusable file or organization. With an
    `idempotency_key`, a second upload with the same key returns the first one's run.
    """
    if idempotency_key:
        run, _created = idempotent_create(
            user=user,
            scope="imports.upload",
            key=idempotency_key,
            create=lambda: import_run_create(
                user=user,
                content=content,
                filename=filename,
                organization_id=organization_id,
                sheet=sheet,
                replaces=replaces,
            ),
            load=lambda pk: ImportRun.objects.get(pk=pk),
        )
        return run
    org = _organization_for(user=user, organization_id=organization_id)
    if not user.is_authenticated:  # never: an anonymous user has no organization to import into
        raise PermissionDeniedError(_("Sign in first."))
    _check_before_parsing(content, filename)
    run = ImportRun(
        organization=org, user=user, filename=redact_filename(filename)[:200], sheet=sheet
    )
    # A random stored name: the original one may carry personal data (an ID number).
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    run.file.save(f"import-{org.pk}-{uuid.uuid4().hex}{suffix}", ContentFile(content), save=False)
    run.save()
    record_event(
        AccessAction.IMPORT_UPLOADED,
        actor=user,
        organization=org,
        target=run,
        detail={"bytes": len(content), "sheet": sheet or ""},
    )
    if replaces is not None and replaces.status in ABANDONABLE:
        # A run that moved on meanwhile (its commit was asked for) is left as it is.
        with contextlib.suppress(ConflictError):
            import_run_discard(user=user, run=replaces)
    enqueue(PREVIEW_TASK, [run.pk])
    run.refresh_from_db()
    return run


def _refresh_compliance(operator_ids: set[int]) -> None:
    """Re-evaluate these operators' compliance items: bulk writes send no model signals."""
    tracking.operators_changed(operator_ids)


def _apply(run: ImportRun, *, keep: bool, progress=None) -> ImportResult:
    with run.file.open("rb") as fh:
        content = fh.read()
    # The stored name keeps the extension; the original may have lost it to the length cap.
    tables, file_errors = read_file(content, run.file.name, sheet=run.sheet)
    with transaction.atomic():
        result = Importer(user=run.user, organization=run.organization, progress=progress).run(
            tables
        )
        result.errors[:0] = file_errors
        if not keep or result.errors:
            transaction.set_rollback(True)
        elif result.operator_ids:
            _refresh_compliance(result.operator_ids)
    return result


def _apply_or_fail(run: ImportRun, *, keep: bool) -> ImportResult | None:
    """`_apply` with progress. A file that cannot be read marks the run INVALID, an
    unexpected error FAILED; both give None.
    """
    try:
        return _apply(run, keep=keep, progress=progress_writer(ImportRun, run.pk))
    except FileError as exc:  # the file as a whole: a limit, the format, the encoding
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportStatus.INVALID, progress=100, error=str(exc), updated_at=timezone.now()
        )
        return None
    except Exception as exc:  # recorded for the person waiting; logged in full
        logger.exception("import %s %s failed", "commit" if keep else "preview", run.pk)
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return None


def _claim(run_id: int, *, from_status: str, to_status: str) -> ImportRun | None:
    # A conditional UPDATE: of two deliveries of the same task only one gets the row.
    claimed = ImportRun.objects.filter(pk=run_id, status=from_status).update(
        status=to_status, progress=0, updated_at=timezone.now()
    )
    if not claimed:
        return None
    return ImportRun.objects.select_related("user", "organization").get(pk=run_id)


def import_run_preview(*, run_id: int) -> None:
    """Validate every row with the register's rules (writing them, then rolling back)."""
    run = _claim(run_id, from_status=ImportStatus.PENDING, to_status=ImportStatus.VALIDATING)
    if run is None:
        return
    result = _apply_or_fail(run, keep=False)
    if result is None:
        return
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.INVALID if result.errors else ImportStatus.VALID,
        progress=100,
        row_count=result.row_count,
        errors=[e.to_dict() for e in result.errors],
        summary=result.summary,
        updated_at=timezone.now(),
    )


def import_run_commit_request(*, user: User, run: ImportRun) -> ImportRun:
    """Ask for the commit of a previewed run (imports.commit).

    Raises ConflictError when the run is not (or no longer) ready: of concurrent requests
    only the one whose conditional UPDATE took the run from VALID or FAILED gets it.
    """
    if run.user_id != user.pk and not user.is_superuser:
        raise PermissionDeniedError(_("Only the person who uploaded the file can import it."))
    claimed = (
        ImportRun.objects.filter(pk=run.pk, status__in=(ImportStatus.VALID, ImportStatus.FAILED))
        .exclude(file="")
        .update(status=ImportStatus.QUEUED, error="", updated_at=timezone.now())
    )
    run.refresh_from_db()
    if not claimed:
        raise ConflictError(
            _("This file cannot be imported now (status: %(s)s).") % {"s": run.get_status_display()}
        )
    enqueue(COMMIT_TASK, [run.pk])
    run.refresh_from_db()
    return run


def import_run_commit(*, run_id: int) -> None:
    """Write every row in one transaction, or nothing if any row fails now."""
    run = _claim(run_id, from_status=ImportStatus.QUEUED, to_status=ImportStatus.COMMITTING)
    if run is None:
        return
    with acting_for(run.user):  # the rows written are the importer's changes
        result = _apply_or_fail(run, keep=True)
    if result is None:
        return
    done = not result.errors
    if done:
        # The upload may hold ID numbers and phone numbers: once imported, keep only the
        # record of the run (PIPL data minimisation). Gone before the run says "committed".
        run.file.delete(save=False)
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.COMMITTED if done else ImportStatus.INVALID,
        progress=100,
        errors=[e.to_dict() for e in result.errors],
        summary=result.summary,
        committed_at=timezone.now() if done else None,
        updated_at=timezone.now(),
        **({"file": ""} if done else {}),
    )
    if done:
        record_event(
            AccessAction.IMPORT_COMMITTED, actor=run.user, target=run, detail=result.summary
        )


def import_run_problems_file(*, run: ImportRun, language: str) -> tuple[bytes, str, str]:
    """The run's upload with a last column listing every row's problems, as
    (content, content type, file name): an XLSX for an XLSX upload, else a CSV.

    Raises ApplicationError when the upload is no longer kept (imported: it is deleted).
    """
    if not run.file:
        raise ApplicationError(_("The uploaded file is no longer kept."))
    with run.file.open("rb") as fh:
        content = fh.read()
    try:
        tables, _file_errors = read_file(content, run.file.name, sheet=run.sheet)
    except FileError as e:
        raise ApplicationError(str(e)) from None
    errors = [RowError(**e) for e in run.errors]
    stem = f"import-{run.pk}"  # the original name may carry personal data
    if run.file.name.lower().endswith(".xlsx"):
        return (
            problems_xlsx(tables, errors, language),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{stem}-problems.xlsx",
        )
    return (
        problems_csv(tables, errors, language).encode("utf-8"),
        "text/csv; charset=utf-8",
        f"{stem}-problems.csv",
    )
