"""/api/v1/connectors/: scope, roles, write-only credentials, check, sync, links, findings."""

from __future__ import annotations

import datetime
import json
from unittest import mock

import pytest
from django.utils import timezone

from connectors.models import ConnectorAccount, ConnectorFinding, SyncRun, SyncStatus
from miniprograms.models import MiniProgram
from tests.factories.connectors import (
    TENCENT_CREDENTIALS,
    WECHAT_CREDENTIALS,
    ConnectorFindingFactory,
    ConnectorLinkFactory,
    SyncRunFactory,
)

from .conftest import secrets_in

pytestmark = pytest.mark.django_db

BASE = "/api/v1/connectors"


def _text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def test_list_and_retrieve_carry_only_masked_credentials(
    api, viewer, wechat_account, other_account
):
    c = api(viewer)
    listing = c.get(f"{BASE}/accounts/")
    assert listing.status_code == 200
    assert [row["id"] for row in listing.json()["results"]] == [wechat_account.pk]
    one = c.get(f"{BASE}/accounts/{wechat_account.pk}/")
    assert one.json()["credentials_masked"]["component_appsecret"] == "••••••••"
    assert "credentials" not in one.json()
    assert secrets_in(_text(listing)) == []
    assert secrets_in(_text(one)) == []


def test_create_and_update_keep_credentials_write_only(api, manager, org, operator):
    c = api(manager)
    created = c.post(
        f"{BASE}/accounts/",
        {
            "organization": org.pk,
            "kind": "tencent_cloud",
            "name": "腾讯云",
            "operator": operator.pk,
            "credentials": TENCENT_CREDENTIALS,
            "cadence_minutes": 30,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert secrets_in(_text(created)) == []
    account = ConnectorAccount.objects.get()
    assert account.credential_values() == TENCENT_CREDENTIALS
    assert account.operator == operator
    updated = c.patch(
        f"{BASE}/accounts/{account.pk}/",
        {"name": "腾讯云 2", "credentials": {"secret_id": "", "secret_key": ""}},
        format="json",
    )
    assert updated.status_code == 200, updated.json()
    assert secrets_in(_text(updated)) == []
    account.refresh_from_db()
    assert account.name == "腾讯云 2"
    assert account.credential_values() == TENCENT_CREDENTIALS  # left empty: kept


def test_tencent_needs_its_filing_entity(api, manager, org):
    response = api(manager).post(
        f"{BASE}/accounts/",
        {
            "organization": org.pk,
            "kind": "tencent_cloud",
            "name": "x",
            "credentials": TENCENT_CREDENTIALS,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "operator" in response.json()
    assert not ConnectorAccount.objects.exists()


def test_another_organizations_rows_are_404_and_unchanged(
    api, manager, other_account, django_capture_on_commit_callbacks
):
    run = SyncRunFactory(account=other_account)
    link = ConnectorLinkFactory(account=other_account)
    finding = ConnectorFindingFactory(link=link)
    c = api(manager)
    for target in (
        f"accounts/{other_account.pk}/",
        f"runs/{run.pk}/",
        f"links/{link.pk}/",
        f"findings/{finding.pk}/",
    ):
        assert c.get(f"{BASE}/{target}").status_code == 404, target
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert c.patch(f"{BASE}/accounts/{other_account.pk}/", {"name": "x"}).status_code == 404
        assert c.delete(f"{BASE}/accounts/{other_account.pk}/").status_code == 404
        assert c.post(f"{BASE}/accounts/{other_account.pk}/check/").status_code == 404
        assert c.post(f"{BASE}/accounts/{other_account.pk}/sync/").status_code == 404
        assert c.post(f"{BASE}/links/{link.pk}/create/", {}).status_code == 404
        assert c.post(f"{BASE}/findings/{finding.pk}/resolve/").status_code == 404
    assert callbacks == []
    other_account.refresh_from_db()
    assert other_account.name == "别人的平台"
    assert SyncRun.objects.filter(account=other_account).count() == 1
    finding.refresh_from_db()
    assert finding.resolved_at is None
    listed = c.get(f"{BASE}/runs/").json()["results"]
    assert run.pk not in [r["id"] for r in listed]


def test_member_cannot_create_update_check_or_sync(
    api, viewer, org, wechat_account, django_capture_on_commit_callbacks
):
    c = api(viewer)
    created = c.post(
        f"{BASE}/accounts/",
        {"organization": org.pk, "kind": "wechat", "name": "x", "credentials": WECHAT_CREDENTIALS},
        format="json",
    )
    assert created.status_code == 403
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert c.patch(f"{BASE}/accounts/{wechat_account.pk}/", {"name": "y"}).status_code == 403
        assert c.post(f"{BASE}/accounts/{wechat_account.pk}/check/").status_code == 403
        assert c.post(f"{BASE}/accounts/{wechat_account.pk}/sync/").status_code == 403
        assert c.delete(f"{BASE}/accounts/{wechat_account.pk}/").status_code == 403
    assert callbacks == []
    assert ConnectorAccount.objects.count() == 1
    wechat_account.refresh_from_db()
    assert wechat_account.name == "公众平台"
    assert not SyncRun.objects.exists()


def test_check_answers_ok_and_message(api, manager, scripted_account):
    response = api(manager).post(f"{BASE}/accounts/{scripted_account.pk}/check/")
    assert response.status_code == 200
    assert response.json() == {"ok": True, "message": "ok"}
    assert SyncRun.objects.get(account=scripted_account).status == SyncStatus.SUCCEEDED


def test_sync_is_202_then_409_while_backing_off(
    api, manager, scripted_account, django_capture_on_commit_callbacks
):
    c = api(manager)
    with (
        mock.patch("connectors.services.sync_task") as task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        queued = c.post(f"{BASE}/accounts/{scripted_account.pk}/sync/")
    assert queued.status_code == 202
    assert queued.json()["queued"] is True
    task.delay.assert_called_once_with(account_id=scripted_account.pk, trigger="manual")
    until = timezone.now() + datetime.timedelta(hours=1)
    ConnectorAccount.objects.filter(pk=scripted_account.pk).update(backoff_until=until)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        refused = c.post(f"{BASE}/accounts/{scripted_account.pk}/sync/")
    assert refused.status_code == 409
    assert refused.json()["backing_off_until"] == until.isoformat()
    assert callbacks == []


def test_sync_is_409_while_leased(api, manager, scripted_account):
    until = timezone.now() + datetime.timedelta(minutes=5)
    ConnectorAccount.objects.filter(pk=scripted_account.pk).update(lease_until=until)
    refused = api(manager).post(f"{BASE}/accounts/{scripted_account.pk}/sync/")
    assert refused.status_code == 409
    assert "running" in refused.json()["detail"]


def test_links_filter_and_create_in_register(api, manager, operator, wechat_account):
    linked = ConnectorLinkFactory(account=wechat_account, miniprogram=None)
    ConnectorFindingFactory(link=linked)
    c = api(manager)
    unlinked = c.get(f"{BASE}/links/?unlinked=1").json()["results"]
    assert [row["id"] for row in unlinked] == [linked.pk]
    assert unlinked[0]["open_findings"] == 1
    made = c.post(
        f"{BASE}/links/{linked.pk}/create/",
        {"operator": operator.pk, "name": "新小程序"},
        format="json",
    )
    assert made.status_code == 201, made.json()
    mp = MiniProgram.objects.get(appid=linked.external_id)
    assert made.json()["miniprogram"] == mp.pk
    assert mp.name == "新小程序"
    assert c.get(f"{BASE}/links/?unlinked=1").json()["results"] == []


def test_findings_open_first_and_resolve(api, manager, wechat_account):
    old = ConnectorFindingFactory(
        link=ConnectorLinkFactory(account=wechat_account), resolved_at=timezone.now()
    )
    new = ConnectorFindingFactory(link=ConnectorLinkFactory(account=wechat_account))
    c = api(manager)
    rows = c.get(f"{BASE}/findings/").json()["results"]
    assert [r["id"] for r in rows] == [new.pk, old.pk]
    assert c.post(f"{BASE}/findings/{new.pk}/resolve/").status_code == 200
    assert not ConnectorFinding.objects.filter(resolved_at__isnull=True).exists()
