"""Who a report run is for: only a signed-in user can request one."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from core.exceptions import PermissionDeniedError
from reports import services
from reports.models import ReportRun, RunStatus

pytestmark = pytest.mark.django_db


def test_anonymous_user_cannot_request_a_report_and_nothing_is_recorded():
    with pytest.raises(PermissionDeniedError) as excinfo:
        services.report_run_create(user=AnonymousUser(), kind="portfolio")

    assert excinfo.value.status_code == 403
    assert ReportRun.objects.count() == 0


def test_stored_dossier_run_without_an_operator_fails_as_a_missing_operator(manager):
    run = ReportRun.objects.create(user=manager, kind="dossier", params={"as_of": "2026-01-15"})

    services.report_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "no longer exists" in run.error
    assert not run.file
