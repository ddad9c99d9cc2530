"""Two requests with the same idempotency key at the same moment, on real PostgreSQL
connections (one thread each): one row, and both requests get the same answer."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from core.idempotency import FIELD, HEADER
from core.models import IdempotencyKey
from filings.models import FilingApplication, FilingComment
from imports.models import ImportRun
from reports.models import ReportRun
from tests.factories import FilingFactory, MiniProgramFactory
from tests.imports.helpers import portfolio_sheets, xlsx

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def _at_once(*requests: Callable[[], Any]) -> list[Any]:
    """Run the requests in parallel threads released together; their results in order."""
    barrier = threading.Barrier(len(requests))
    results: list[Any] = [None] * len(requests)
    errors: list[BaseException] = []

    def run(i: int, request: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = request()
        except BaseException as e:  # reported in the test's thread
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results


def _api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_two_comment_posts_at_once_make_one_comment(editor, operator):
    filing = FilingFactory(miniprogram=MiniProgramFactory(operator=operator))
    clients = [Client(), Client()]
    for c in clients:
        c.force_login(editor)
    url = reverse("dashboard:filing_comment", args=[filing.pk])
    data = {"body": "管局来电", FIELD: "form-1"}

    first, second = _at_once(*(lambda c=c: c.post(url, data) for c in clients))

    assert (first.status_code, second.status_code) == (302, 302)
    assert first["Location"] == second["Location"]
    assert FilingComment.objects.count() == 1
    assert IdempotencyKey.objects.get().object_id == FilingComment.objects.get().pk


def test_two_api_draft_creates_at_once_make_one_draft(editor, operator):
    data = {"operator": operator.pk, "kind": "new_filing", "channel": "wechat"}

    first, second = _at_once(
        *(
            lambda: _api(editor).post(
                "/api/v1/filings/", data, format="json", headers={HEADER: "draft-1"}
            )
            for _ in range(2)
        )
    )

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] == second.json()["id"] == FilingApplication.objects.get().pk


def test_two_report_requests_at_once_make_one_run(manager, operator):
    first, second = _at_once(
        *(
            lambda: _api(manager).post(
                "/api/v1/reports/", {"kind": "portfolio"}, format="json", headers={HEADER: "r-1"}
            )
            for _ in range(2)
        )
    )

    run = ReportRun.objects.get()
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] == second.json()["id"] == run.pk
    assert run.status == "done"


def test_two_import_uploads_at_once_make_one_run(manager, org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    content = xlsx(portfolio_sheets(1))
    clients = [Client(), Client()]
    for c in clients:
        c.force_login(manager)

    def upload(c: Client):
        file = SimpleUploadedFile("p.xlsx", content)
        return c.post("/reports/imports/", {"file": file, FIELD: "upload-1"})

    first, second = _at_once(*(lambda c=c: upload(c) for c in clients))

    run = ImportRun.objects.get()
    assert (first.status_code, second.status_code) == (202, 202)
    assert first["Content-Location"] == second["Content-Location"] == f"/reports/imports/{run.pk}/"
