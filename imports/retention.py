"""Uploads are kept only while they may still be imported (PIPL data minimisation).

An import file carries ID and phone numbers. It is deleted once imported (services), when
the person abandons the check (discard, or a corrected file uploaded in its place), and, for
a run nobody finished, after settings.IMPORTS_RETENTION_DAYS (`manage.py purge`, daily).
The run itself stays, with its counts and problems, marked DISCARDED.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.types import User
from audit.actions import AccessAction
from audit.services import record_event
from core.exceptions import ConflictError, PermissionDeniedError

from .models import ImportRun, ImportStatus

logger = logging.getLogger(__name__)

# Runs whose upload may be abandoned: checked, and nobody is working on them.
ABANDONABLE = (ImportStatus.VALID, ImportStatus.INVALID, ImportStatus.FAILED)
# Past the retention time, also runs that never got to (or through) the worker.
EXPIRABLE = (*ABANDONABLE, ImportStatus.PENDING, ImportStatus.QUEUED)
BATCH = 500
# Where uploads are stored (ImportRun.file's upload_to, without its date folders).
UPLOAD_FOLDER = "imports"


def _delete_after_commit(name: str) -> None:
    """Delete the stored file once the row saying so is committed (a rollback keeps both)."""
    if not name:
        return
    storage = ImportRun._meta.get_field("file").storage
    transaction.on_commit(lambda: storage.delete(name))


def _discard(run_id: int, statuses: tuple[str, ...]) -> str | None:
    """DISCARDED and no file, if the run is still in one of `statuses`; the file's name."""
    with transaction.atomic():
        run = (
            ImportRun.objects.filter(pk=run_id, status__in=statuses)
            .select_for_update(of=("self",))
            .first()
        )
        if run is None:
            return None
        name = run.file.name or ""
        ImportRun.objects.filter(pk=run_id).update(
            status=ImportStatus.DISCARDED, file="", progress=100, updated_at=timezone.now()
        )
        _delete_after_commit(name)
    return name


def import_run_discard(*, user: User, run: ImportRun) -> ImportRun:
    """Abandon a checked run: its upload is deleted, nothing can be imported from it.

    Raises ConflictError while it is being worked on or once imported.
    """
    if run.user_id != user.pk and not user.is_superuser:
        raise PermissionDeniedError(_("Only the person who uploaded the file can discard it."))
    if _discard(run.pk, ABANDONABLE) is None:
        run.refresh_from_db()
        raise ConflictError(
            _("This file cannot be discarded now (status: %(s)s).")
            % {"s": run.get_status_display()}
        )
    run.refresh_from_db()
    record_event(AccessAction.IMPORT_DISCARDED, actor=user, target=run)
    return run


def _stored_files(storage, folder: str) -> list[str]:
    folders, files = storage.listdir(folder)
    found = [f"{folder}/{name}" for name in files]
    for sub in folders:
        found += _stored_files(storage, f"{folder}/{sub}")
    return found


def import_files_orphaned_delete(*, now: datetime.datetime | None = None) -> int:
    """Delete stored uploads no run refers to (their request failed after the file was
    written, so the run was rolled back), once older than the retention time; how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=int(settings.IMPORTS_RETENTION_DAYS))
    storage = ImportRun._meta.get_field("file").storage
    if not storage.exists(UPLOAD_FOLDER):
        return 0
    known = set(ImportRun.objects.exclude(file="").values_list("file", flat=True))
    deleted = 0
    for name in _stored_files(storage, UPLOAD_FOLDER):
        if name not in known and storage.get_modified_time(name) < cutoff:
            storage.delete(name)
            deleted += 1
    return deleted


def import_uploads_purge() -> int:
    """The imports purger (core.purge): expired runs' uploads, then orphaned files."""
    return import_run_purge_expired() + import_files_orphaned_delete()


def import_run_purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Discard the uploads of runs not imported within the retention time; how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=int(settings.IMPORTS_RETENTION_DAYS))
    purged = 0
    while True:
        ids = list(
            ImportRun.objects.filter(created_at__lt=cutoff, status__in=EXPIRABLE)
            .exclude(file="")
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            return purged
        for run_id in ids:
            # A run that moved on meanwhile (picked up by the worker) is skipped this time.
            if _discard(run_id, EXPIRABLE) is not None:
                purged += 1
        if len(ids) < BATCH:
            return purged
