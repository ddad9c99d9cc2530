"""Uploads kept only while they may still be imported: discard, replace, and the daily purge."""

from __future__ import annotations

import datetime
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.tasks import purge_task
from imports.models import ImportRun, ImportStatus
from miniprograms.models import Operator
from tests.factories import ImportRunFactory, valid_uscc

pytestmark = pytest.mark.django_db

CSV = f"name_zh,uscc,province\n甲公司,{valid_uscc(1)},粤\n乙公司,123,粤\n".encode()


def _page_upload(client, name: str = "张三-110105194912310021-13800138000.csv", **extra):
    client.post("/reports/imports/", {"file": SimpleUploadedFile(name, CSV), **extra})
    return ImportRun.objects.latest("id")


def _path(run: ImportRun) -> Path:
    return Path(run.file.path)


def test_the_stored_name_of_an_upload_loses_its_id_and_phone_numbers(client, manager, org):
    client.force_login(manager)

    run = _page_upload(client)

    assert run.filename == "张三.csv"
    assert "110105194912310021" not in client.get("/reports/imports/").content.decode()


def test_discarding_a_checked_file_deletes_it_and_keeps_the_runs_record(
    client, manager, org, django_capture_on_commit_callbacks
):
    # given: a checked file with one bad row
    client.force_login(manager)
    run = _page_upload(client)
    path = _path(run)
    assert (run.status, run.row_count, path.exists()) == (ImportStatus.INVALID, 2, True)
    page = client.get(f"/reports/imports/{run.pk}/").content.decode()
    assert 'data-testid="import-discard"' in page

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reports/imports/{run.pk}/discard/")

    # then
    run.refresh_from_db()
    assert response.status_code == 302
    assert (run.status, run.file.name, run.row_count, len(run.errors)) == (
        ImportStatus.DISCARDED,
        "",
        2,
        1,
    )
    assert not path.exists()
    page = client.get(f"/reports/imports/{run.pk}/").content.decode()
    assert 'data-testid="import-discarded"' in page
    assert 'data-testid="import-commit"' not in page


def test_a_corrected_file_uploaded_in_its_place_discards_the_first(
    client, manager, org, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    first = _page_upload(client)
    path = _path(first)
    page = client.get(f"/reports/imports/{first.pk}/").content.decode()
    assert f'name="replaces" value="{first.pk}"' in page

    with django_capture_on_commit_callbacks(execute=True):
        second = _page_upload(client, "fixed.csv", replaces=str(first.pk))

    first.refresh_from_db()
    assert (first.status, first.file.name) == (ImportStatus.DISCARDED, "")
    assert not path.exists()
    assert second.pk != first.pk
    assert second.file


def test_an_imported_run_cannot_be_discarded_and_nobody_else_can_discard(
    api, manager, other_manager, org
):
    committed = ImportRunFactory(user=manager, organization=org, status=ImportStatus.COMMITTED)
    valid = ImportRunFactory(user=manager, organization=org, status=ImportStatus.VALID)

    conflict = api(manager).post(f"/api/v1/imports/{committed.pk}/discard/")
    foreign = api(other_manager).post(f"/api/v1/imports/{valid.pk}/discard/")

    assert (conflict.status_code, foreign.status_code) == (409, 404)
    valid.refresh_from_db()
    committed.refresh_from_db()
    assert (valid.status, bool(valid.file)) == (ImportStatus.VALID, True)
    assert committed.status == ImportStatus.COMMITTED


def test_a_discarded_run_cannot_be_committed(api, manager, org):
    run = ImportRunFactory(user=manager, organization=org, status=ImportStatus.VALID)
    assert api(manager).post(f"/api/v1/imports/{run.pk}/discard/").status_code == 200

    response = api(manager).post(f"/api/v1/imports/{run.pk}/commit/")

    assert response.status_code == 409
    assert ImportRun.objects.get(pk=run.pk).status == ImportStatus.DISCARDED
    assert Operator.objects.count() == 0


def _created_days_ago(run: ImportRun, days: int) -> None:
    ImportRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_purge_deletes_uploads_not_imported_within_the_retention_time(
    manager, org, settings, django_capture_on_commit_callbacks
):
    # given: runs 8 days old (checked, never sent to the worker, running) and a fresh one
    settings.IMPORTS_RETENTION_DAYS = 7
    old_valid = ImportRunFactory(user=manager, organization=org, status=ImportStatus.VALID)
    old_pending = ImportRunFactory(user=manager, organization=org)
    running = ImportRunFactory(user=manager, organization=org, status=ImportStatus.COMMITTING)
    fresh = ImportRunFactory(user=manager, organization=org, status=ImportStatus.INVALID)
    for run in (old_valid, old_pending, running):
        _created_days_ago(run, 8)
    paths = {run.pk: _path(run) for run in (old_valid, old_pending, running, fresh)}

    # when
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge", stdout=out)

    # then
    assert "imports: 2" in out.getvalue()
    for run in (old_valid, old_pending):
        run.refresh_from_db()
        assert (run.status, run.file.name, paths[run.pk].exists()) == (
            ImportStatus.DISCARDED,
            "",
            False,
        )
    for run, status in ((running, ImportStatus.COMMITTING), (fresh, ImportStatus.INVALID)):
        run.refresh_from_db()
        assert (run.status, paths[run.pk].exists()) == (status, True)

    # and again: nothing left to do
    out = StringIO()
    call_command("purge", "--only", "imports", stdout=out)
    assert out.getvalue().strip() == "imports: 0"


def test_purge_names_only_registered_purgers_and_the_daily_task_runs_them(manager, org):
    with pytest.raises(CommandError, match=r"No purger named nope; known: .*imports"):
        call_command("purge", "--only", "nope")

    old = ImportRunFactory(user=manager, organization=org, status=ImportStatus.FAILED)
    _created_days_ago(old, 30)
    purge_task()
    assert ImportRun.objects.get(pk=old.pk).status == ImportStatus.DISCARDED


def test_purge_deletes_old_upload_files_no_run_refers_to(manager, org, settings):
    # given: a run's file, and two files left by requests rolled back (one old, one recent)
    run = ImportRunFactory(user=manager, organization=org, status=ImportStatus.VALID)
    folder = Path(settings.MEDIA_ROOT) / "imports" / "2020" / "01"
    folder.mkdir(parents=True, exist_ok=True)
    old_orphan, new_orphan = folder / "import-1-old.csv", folder / "import-1-new.csv"
    old_orphan.write_bytes(b"name_zh\n")
    new_orphan.write_bytes(b"name_zh\n")
    eight_days_ago = (timezone.now() - datetime.timedelta(days=8)).timestamp()
    os.utime(old_orphan, (eight_days_ago, eight_days_ago))
    os.utime(_path(run), (eight_days_ago, eight_days_ago))  # old, but its run is recent

    # when
    out = StringIO()
    call_command("purge", "--only", "imports", stdout=out)

    # then
    assert out.getvalue().strip() == "imports: 1"
    assert (old_orphan.exists(), new_orphan.exists(), _path(run).exists()) == (False, True, True)
