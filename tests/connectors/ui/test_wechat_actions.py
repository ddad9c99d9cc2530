"""The WeChat actions of a mini-program's connector section: start a face-verification task,
record the certification annual review as done. Scoped, role-checked, and nothing half-done."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from connectors.errors import VendorError
from connectors.models import FaceVerifyTask
from connectors.wechat.client import WeChatClient
from tests.factories import (
    CertificationReviewFactory,
    ConnectorLinkFactory,
    MiniProgramFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def vendor(monkeypatch):
    asked: list[tuple[str, bool]] = []

    def create(self, appid: str, *, along_with_auth: bool = False) -> str:
        asked.append((appid, along_with_auth))
        return f"task-{len(asked)}"

    monkeypatch.setattr(WeChatClient, "create_verify_task", create)
    return asked


@pytest.fixture
def link(wechat_account, operator):
    mp = MiniProgramFactory(operator=operator)
    return ConnectorLinkFactory(account=wechat_account, external_id=mp.appid, miniprogram=mp)


def _start(client, link, **data):
    return client.post(reverse("connectors:face_task_start", args=[link.pk]), data)


@pytest.mark.parametrize(("along", "days"), [("", 3), ("1", 1)])
def test_a_manager_starts_a_task_valid_three_days_or_one(
    client_for, manager, link, vendor, along, days
):
    before = timezone.now()
    response = _start(client_for(manager), link, along_with_auth=along)
    assert response.status_code == 302
    task = FaceVerifyTask.objects.get()
    assert vendor == [(link.external_id, along == "1")]
    assert task.miniprogram == link.miniprogram
    expected = before + datetime.timedelta(days=days)
    assert abs((task.expires_at - expected).total_seconds()) < 60
    page = client_for(manager).get(
        reverse("dashboard:miniprogram_detail", args=[link.miniprogram_id])
    )
    assert b'data-testid="service-connector-face-tasks"' in page.content
    assert b'data-testid="face-task-start"' in page.content


def test_a_viewer_sees_no_button_and_is_refused(client_for, viewer, link, vendor):
    page = client_for(viewer).get(
        reverse("dashboard:miniprogram_detail", args=[link.miniprogram_id])
    )
    assert b'data-testid="face-task-start"' not in page.content
    assert _start(client_for(viewer), link).status_code == 403
    assert vendor == []
    assert not FaceVerifyTask.objects.exists()


def test_another_organizations_link_is_not_found(client_for, other_account, link, vendor):
    from accounts.models import Role
    from tests.factories import MembershipFactory

    stranger = MembershipFactory(organization=other_account.organization, role=Role.MANAGER).user
    assert _start(client_for(stranger), link).status_code == 404
    assert vendor == []
    assert not FaceVerifyTask.objects.exists()


def test_a_vendor_refusal_is_shown_and_nothing_is_kept(client_for, manager, link, monkeypatch):
    def refuse(self, appid, *, along_with_auth=False):
        raise VendorError("errcode=86317 face verification not allowed now", code=86317)

    monkeypatch.setattr(WeChatClient, "create_verify_task", refuse)
    c = client_for(manager)
    response = _start(c, link)
    assert response.status_code == 302
    assert not FaceVerifyTask.objects.exists()
    page = c.get(response.url)
    assert "errcode=86317" in page.content.decode()


def test_recording_the_annual_review(client_for, manager, link):
    review = CertificationReviewFactory(account=link.account, miniprogram=link.miniprogram)
    url = reverse("connectors:review_renewed", args=[review.pk])
    bad = client_for(manager).post(url, {"renewed_on": "not a date"})
    assert bad.status_code == 302
    review.refresh_from_db()
    assert review.renewed_on is None
    client_for(manager).post(url, {"renewed_on": "2026-11-30"})
    review.refresh_from_db()
    assert review.renewed_on == datetime.date(2026, 11, 30)


def test_recording_another_organizations_review_is_not_found(client_for, other_account, manager):
    review = CertificationReviewFactory(
        account=other_account, miniprogram__operator__organization=other_account.organization
    )
    url = reverse("connectors:review_renewed", args=[review.pk])
    assert client_for(manager).post(url, {"renewed_on": "2026-11-30"}).status_code == 404
    review.refresh_from_db()
    assert review.renewed_on is None


def test_a_switched_off_connector_calls_nothing_even_on_request(
    client_for, api, manager, scripted_account, scripted, django_capture_on_commit_callbacks
):
    from connectors.models import SyncRun

    scripted_account.enabled = False
    scripted_account.save()
    c = client_for(manager)
    with django_capture_on_commit_callbacks() as queued:
        c.post(reverse("connectors:check", args=[scripted_account.pk]))
        c.post(reverse("connectors:sync", args=[scripted_account.pk]))
        answer = api(manager).post(f"/api/v1/connectors/accounts/{scripted_account.pk}/sync/")
    assert answer.status_code == 409
    assert queued == []
    assert not SyncRun.objects.exists()
    scripted_account.refresh_from_db()
    assert scripted_account.checked_at is None


def test_the_demo_connector_is_switched_off_and_valid(db):
    from django.core.management import call_command

    from connectors import registry
    from connectors.models import ConnectorAccount

    call_command("seed_demo", "--quiet")
    account = ConnectorAccount.objects.get(organization__slug="demo-agency")
    assert account.enabled is False
    values = account.credential_values()
    kind = registry.get(account.kind)
    assert kind.clean_credentials(values, current={}) == values  # every field passes its checks


@pytest.mark.parametrize("path", ["runs", "links", "findings"])
def test_filtering_by_another_organizations_account_looks_like_a_missing_one(
    api, manager, other_account, path
):
    theirs = api(manager).get(f"/api/v1/connectors/{path}/?account={other_account.pk}")
    missing = api(manager).get(f"/api/v1/connectors/{path}/?account=999999")
    assert theirs.status_code == missing.status_code == 200
    assert theirs.json() == missing.json()


def test_a_check_that_breaks_is_a_failed_run_not_a_500(
    client_for, manager, scripted_account, scripted, monkeypatch
):
    from connectors import registry
    from connectors.models import SyncRun, SyncStatus

    def broken(client):
        raise KeyError("an answer of a shape nobody expected")

    monkeypatch.setattr(registry.get("scripted"), "check_credentials", broken)
    response = client_for(manager).post(reverse("connectors:check", args=[scripted_account.pk]))
    assert response.status_code == 302
    run = SyncRun.objects.get(account=scripted_account)
    assert run.status == SyncStatus.FAILED
    assert run.finished_at is not None
    assert "shape" not in run.message
