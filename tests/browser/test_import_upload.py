"""The upload answers at once and the run's page follows the worker: pending, checked, imported.

A stand-in worker (a thread that picks the queued run up a moment later, as an idle Celery
worker would) keeps the test free of a broker; tests/imports/test_worker.py does the same
with a real one.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connections
from playwright.sync_api import Page, expect

from accounts.models import Role
from imports import services
from imports.models import ImportRun, ImportStatus
from miniprograms.models import Operator
from tests.factories import MembershipFactory, OrganizationFactory, valid_uscc

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "upload-pass-2024"
WORKER_DELAY = 1.5  # seconds before the stand-in worker picks a task up


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def worker(monkeypatch):
    """Queued import tasks run in a thread WORKER_DELAY seconds after the request's commit."""
    steps = {services.PREVIEW_TASK: services.import_run_preview}
    steps[services.COMMIT_TASK] = services.import_run_commit
    threads: list[threading.Thread] = []

    def work(task: str, run_ids: list[int]) -> None:
        time.sleep(WORKER_DELAY)
        try:
            for run_id in run_ids:
                steps[task](run_id=run_id)
        finally:
            connections.close_all()

    def enqueue(task: str, run_ids: list[int]) -> None:
        from django.db import transaction

        def start() -> None:
            thread = threading.Thread(target=work, args=(task, run_ids), daemon=True)
            threads.append(thread)
            thread.start()

        transaction.on_commit(start)

    monkeypatch.setattr(services, "enqueue", enqueue)
    yield
    for thread in threads:
        thread.join(timeout=30)


def test_upload_answers_at_once_then_the_page_shows_the_check_and_the_import(
    page: Page, live_server, login, worker, tmp_path
):
    # given
    org = OrganizationFactory(name="上传代理", slug="upload")
    member = MembershipFactory(organization=org, role=Role.MANAGER)
    member.user.set_password(PASSWORD)
    member.user.save()
    upload = tmp_path / "operators.csv"
    upload.write_text(
        f"name_zh,uscc,province\n上传测试有限公司,{valid_uscc(4242)},粤\n", encoding="utf-8"
    )
    login(member.user.username, PASSWORD)

    # when: the file is uploaded
    page.goto(f"{live_server.url}/reports/imports/")
    page.locator('[data-testid="import-form"] input[name="file"]').set_input_files(str(upload))
    page.locator('[data-testid="import-form"] [type="submit"]').click()

    # then: the run's page at once, waiting for the worker, then its result without a reload
    status = page.get_by_test_id("import-status")
    expect(status).to_have_attribute("data-status", "pending")
    expect(status).to_have_attribute("data-status", "valid", timeout=15_000)
    run = ImportRun.objects.get()
    assert run.row_count == 1
    assert Operator.objects.count() == 0

    page.get_by_test_id("import-commit").click()
    expect(page.get_by_test_id("import-status")).to_have_attribute(
        "data-status", "committed", timeout=15_000
    )
    run.refresh_from_db()
    assert (run.status, bool(run.file)) == (ImportStatus.COMMITTED, False)
    assert Operator.objects.get().name_zh == "上传测试有限公司"
