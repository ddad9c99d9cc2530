"""Connector pages: scope, roles, masked credentials, check, sync now, linking."""

from __future__ import annotations

import datetime
import json
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from connectors.errors import CredentialError
from connectors.models import (
    AccountHealth,
    ConnectorAccount,
    ConnectorFinding,
    FindingCode,
    SyncRun,
    SyncStatus,
    SyncTrigger,
)
from miniprograms.models import MiniProgram
from tests.factories import MiniProgramFactory
from tests.factories.connectors import (
    WECHAT_CREDENTIALS,
    CertificationReviewFactory,
    ConnectorFindingFactory,
    ConnectorLinkFactory,
    FaceVerifyTaskFactory,
    SyncRunFactory,
)

from .conftest import SCRIPTED_SECRET, secrets_in

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"connectors:{name}", args=args)


def _snapshot(account: ConnectorAccount) -> tuple:
    account.refresh_from_db()
    return (
        account.name,
        account.credentials,
        account.health,
        account.checked_at,
        SyncRun.objects.filter(account=account).count(),
    )


# --- scope ---------------------------------------------------------------------------------


def test_another_organizations_account_is_404_everywhere_and_unchanged(
    client_for, manager, other_account, django_capture_on_commit_callbacks
):
    run = SyncRunFactory(account=other_account)
    link = ConnectorLinkFactory(account=other_account)
    finding = ConnectorFindingFactory(link=link)
    before = _snapshot(other_account)
    c = client_for(manager)
    gets = [
        url("detail", other_account.pk),
        url("edit", other_account.pk),
        url("delete", other_account.pk),
        url("runs", other_account.pk),
        url("run", run.pk),
        url("link", link.pk),
    ]
    for target in gets:
        assert c.get(target).status_code == 404, target
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        posts = [
            (url("edit", other_account.pk), {"name": "mine now", "cadence_minutes": 60}),
            (url("delete", other_account.pk), {}),
            (url("check", other_account.pk), {}),
            (url("sync", other_account.pk), {}),
            (url("link", link.pk), {"action": "create", "operator": ""}),
            (url("finding_resolve", finding.pk), {}),
        ]
        for target, data in posts:
            assert c.post(target, data).status_code == 404, target
    assert callbacks == []
    assert _snapshot(other_account) == before
    finding.refresh_from_db()
    assert finding.resolved_at is None
    assert other_account.name not in c.get(url("list")).content.decode()


# --- roles ---------------------------------------------------------------------------------


def test_viewer_sees_but_cannot_create_check_or_sync(
    client_for, viewer, wechat_account, django_capture_on_commit_callbacks
):
    c = client_for(viewer)
    detail = c.get(url("detail", wechat_account.pk))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert 'data-testid="connector-check"' not in html
    assert 'data-testid="connector-sync-now"' not in html
    assert 'data-testid="connector-create"' not in c.get(url("list")).content.decode()
    before = _snapshot(wechat_account)
    assert c.get(url("create") + "?kind=wechat").status_code == 403
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert c.post(url("check", wechat_account.pk)).status_code == 403
        assert c.post(url("sync", wechat_account.pk)).status_code == 403
        assert c.post(url("edit", wechat_account.pk), {"name": "x"}).status_code == 403
        assert c.post(url("delete", wechat_account.pk)).status_code == 403
    assert callbacks == []
    assert _snapshot(wechat_account) == before
    assert ConnectorAccount.objects.count() == 1


def test_editor_cannot_create_a_connector(client_for, editor):
    response = client_for(editor).post(
        url("create") + "?kind=wechat", {"name": "x", **WECHAT_CREDENTIALS}
    )
    assert response.status_code == 403
    assert not ConnectorAccount.objects.exists()


# --- create, edit, masking -----------------------------------------------------------------


def _form_data(org, name="平台", **creds):
    data = {"kind": "wechat", "organization": org.pk, "name": name, "cadence_minutes": 60}
    data["enabled"] = "on"
    data.update({f"cred_{k}": v for k, v in creds.items()})
    return data


def test_create_through_the_kind_form_then_no_page_shows_a_credential(client_for, manager, org):
    c = client_for(manager)
    chooser = c.get(url("create")).content.decode()
    assert 'data-testid="connector-kind-wechat"' in chooser
    form = c.get(url("create") + "?kind=wechat").content.decode()
    assert 'type="password" name="cred_component_appsecret"' in form
    response = c.post(url("create"), _form_data(org, **WECHAT_CREDENTIALS))
    account = ConnectorAccount.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", account.pk)
    assert account.credential_values() == WECHAT_CREDENTIALS
    assert account.created_by == manager
    pages = {
        "list": c.get(url("list")),
        "detail": c.get(url("detail", account.pk)),
        "edit": c.get(url("edit", account.pk)),
    }
    for name, page in pages.items():
        assert page.status_code == 200, name
        assert secrets_in(page.content.decode()) == [], name
    detail = pages["detail"].content.decode()
    assert "wx0…def" in detail  # the identifier, masked
    assert f"http://testserver/connectors/wechat/{account.push_key}/events/" in detail
    assert f"/connectors/wechat/{account.push_key}/messages/$APPID$/" in detail


def test_a_refused_value_is_not_echoed_back(client_for, manager, org):
    data = _form_data(org, **{**WECHAT_CREDENTIALS, "encoding_aes_key": "short"})
    response = client_for(manager).post(url("create"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "43 letters and digits" in html
    # The identifier the person typed is given back to correct; no secret is.
    assert secrets_in(html) == [WECHAT_CREDENTIALS["component_appid"]]
    assert not ConnectorAccount.objects.exists()


def test_edit_keeps_the_secrets_left_empty(client_for, manager, wechat_account):
    c = client_for(manager)
    response = c.post(
        url("edit", wechat_account.pk),
        {"name": "改名", "cadence_minutes": 120, "cred_token": "newToken99"},
    )
    assert response.status_code == 302
    wechat_account.refresh_from_db()
    assert wechat_account.name == "改名"
    assert wechat_account.cadence_minutes == 120
    assert not wechat_account.enabled  # an unticked box
    assert wechat_account.credential_values() == {**WECHAT_CREDENTIALS, "token": "newToken99"}
    form = c.get(url("edit", wechat_account.pk)).content.decode()
    assert secrets_in(form, "newToken99") == []


def test_delete_asks_then_deletes(client_for, manager, wechat_account):
    c = client_for(manager)
    assert (
        'data-testid="connector-delete-confirm"'
        in c.get(url("delete", wechat_account.pk)).content.decode()
    )
    assert ConnectorAccount.objects.filter(pk=wechat_account.pk).exists()
    assert c.post(url("delete", wechat_account.pk)).status_code == 302
    assert not ConnectorAccount.objects.filter(pk=wechat_account.pk).exists()


# --- check credentials ---------------------------------------------------------------------


def test_check_credentials_ok_records_a_run_and_the_health(client_for, manager, scripted_account):
    response = client_for(manager).post(url("check", scripted_account.pk), follow=True)
    run = SyncRun.objects.get(account=scripted_account)
    assert (run.trigger, run.status, run.message) == (SyncTrigger.CHECK, SyncStatus.SUCCEEDED, "ok")
    assert run.finished_at is not None
    scripted_account.refresh_from_db()
    assert scripted_account.health == AccountHealth.OK
    assert scripted_account.checked_at is not None
    assert "Credentials accepted" in response.content.decode()


def test_check_credentials_refused_is_a_credential_error(
    client_for, manager, scripted_account, scripted
):
    refused = CredentialError("AppSecret refused (40125)", code=40125)
    with mock.patch.object(scripted, "check_credentials", side_effect=refused):
        response = client_for(manager).post(url("check", scripted_account.pk), follow=True)
    run = SyncRun.objects.get(account=scripted_account)
    assert run.status == SyncStatus.CREDENTIAL_ERROR
    assert run.message == "AppSecret refused (40125)"
    scripted_account.refresh_from_db()
    assert scripted_account.health == AccountHealth.CREDENTIAL_ERROR
    assert scripted_account.health_message == "AppSecret refused (40125)"
    html = response.content.decode()
    assert 'data-health="credential_error"' in html
    assert SCRIPTED_SECRET not in html


# --- sync now ------------------------------------------------------------------------------


def test_sync_now_queues_one_manual_sync_on_commit(
    client_for, manager, scripted_account, django_capture_on_commit_callbacks
):
    with (
        mock.patch("connectors.services.sync_task") as task,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = client_for(manager).post(url("sync", scripted_account.pk))
    assert response.status_code == 302
    assert len(callbacks) == 1
    task.delay.assert_called_once_with(account_id=scripted_account.pk, trigger="manual")


def test_sync_now_is_refused_while_a_sync_holds_the_lease(
    client_for, manager, scripted_account, django_capture_on_commit_callbacks
):
    until = timezone.now() + datetime.timedelta(minutes=20)
    ConnectorAccount.objects.filter(pk=scripted_account.pk).update(lease_until=until)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(manager).post(url("sync", scripted_account.pk), follow=True)
    assert callbacks == []
    local = timezone.localtime(until).strftime("%Y-%m-%d %H:%M")
    assert f"A sync of this connector is running (until {local}" in response.content.decode()
    assert not SyncRun.objects.filter(account=scripted_account).exists()


# --- runs, links, findings -----------------------------------------------------------------


def test_detail_lists_runs_and_run_detail_lists_errors(client_for, viewer, scripted_account):
    run = SyncRunFactory(
        account=scripted_account,
        status=SyncStatus.PARTIAL,
        objects_seen=3,
        errors=[{"object": "wx00000000000000aa", "message": "errcode 61007"}],
    )
    c = client_for(viewer)
    detail = c.get(url("detail", scripted_account.pk)).content.decode()
    assert 'data-status="partial"' in detail
    assert 'data-testid="connector-runs"' in detail
    assert c.get(url("runs", scripted_account.pk)).status_code == 200
    page = c.get(url("run", run.pk)).content.decode()
    assert "wx00000000000000aa" in page
    assert "errcode 61007" in page


def test_create_from_link_makes_the_miniprogram_and_links_it(
    client_for, manager, operator, wechat_account
):
    link = ConnectorLinkFactory(
        account=wechat_account,
        external_id="wx00000000000000ab",
        label="测试小程序",
        applied_digest="abc",
    )
    finding = ConnectorFindingFactory(link=link, code=FindingCode.UNLINKED)
    c = client_for(manager)
    detail = c.get(url("detail", wechat_account.pk)).content.decode()
    assert 'data-testid="connector-link-action"' in detail
    response = c.post(url("link", link.pk), {"action": "create", "operator": operator.pk})
    assert response.status_code == 302
    mp = MiniProgram.objects.get(appid="wx00000000000000ab")
    assert (mp.operator, mp.platform, mp.name) == (operator, "wechat", "测试小程序")
    link.refresh_from_db()
    assert link.miniprogram == mp
    assert link.applied_digest == ""
    finding.refresh_from_db()
    assert finding.resolved_at is not None


def test_link_to_an_existing_miniprogram(client_for, manager, operator, wechat_account):
    mp = MiniProgramFactory(operator=operator)
    link = ConnectorLinkFactory(account=wechat_account)
    response = client_for(manager).post(
        url("link", link.pk), {"action": "link", "miniprogram": mp.pk}
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.miniprogram == mp


def test_viewer_cannot_resolve_a_finding(client_for, viewer, wechat_account):
    finding = ConnectorFindingFactory(link=ConnectorLinkFactory(account=wechat_account))
    assert client_for(viewer).post(url("finding_resolve", finding.pk)).status_code == 403
    finding.refresh_from_db()
    assert finding.resolved_at is None


def test_manager_resolves_a_finding(client_for, manager, wechat_account):
    finding = ConnectorFindingFactory(link=ConnectorLinkFactory(account=wechat_account))
    assert client_for(manager).post(url("finding_resolve", finding.pk)).status_code == 302
    finding.refresh_from_db()
    assert finding.resolved_at is not None
    assert ConnectorFinding.objects.filter(resolved_at__isnull=True).count() == 0


# --- the mini-program page and the navigation ----------------------------------------------


def test_miniprogram_page_shows_the_connector_section(client_for, viewer, operator, wechat_account):
    mp = MiniProgramFactory(operator=operator)
    ConnectorLinkFactory(
        account=wechat_account,
        external_id=mp.appid,
        miniprogram=mp,
        vendor_state={"status": 4, "sms_verify_status": 1},
    )
    ConnectorFindingFactory(
        link=ConnectorLinkFactory(account=wechat_account, miniprogram=mp),
        code=FindingCode.CANCELING,
        message="wechat: status=6 canceling",
    )
    FaceVerifyTaskFactory(account=wechat_account, miniprogram=mp)
    CertificationReviewFactory(account=wechat_account, miniprogram=mp)
    html = client_for(viewer).get(reverse("dashboard:miniprogram_detail", args=[mp.pk]))
    html = html.content.decode()
    assert 'data-testid="service-connector"' in html
    assert "status=4" in html
    assert "sms_verify_status=1" in html
    assert "wechat: status=6 canceling" in html
    assert 'data-testid="service-connector-face-tasks"' in html
    assert 'data-testid="service-connector-reviews"' in html
    assert 'data-testid="nav-connectors"' in html


def test_miniprogram_page_without_connector_has_no_section(client_for, viewer, operator):
    mp = MiniProgramFactory(operator=operator)
    html = client_for(viewer).get(reverse("dashboard:miniprogram_detail", args=[mp.pk]))
    assert 'data-testid="service-connector"' not in html.content.decode()


def test_a_member_limited_to_clients_sees_only_their_entitys_account(
    client_for, client_user, operator, wechat_account
):
    from tests.factories.connectors import TENCENT_CREDENTIALS, ConnectorAccountFactory

    own = ConnectorAccountFactory(
        organization=operator.organization,
        kind="tencent_cloud",
        operator=operator,
        name="客户自己的腾讯云",
        credentials=json.dumps(TENCENT_CREDENTIALS),
    )
    c = client_for(client_user)
    html = c.get(url("list")).content.decode()
    assert "客户自己的腾讯云" in html
    assert wechat_account.name not in html
    assert c.get(url("detail", wechat_account.pk)).status_code == 404
    page = c.get(url("detail", own.pk))
    assert page.status_code == 200
    assert secrets_in(page.content.decode()) == []


def test_check_credentials_that_cannot_reach_the_vendor_is_a_failure(
    client_for, manager, scripted_account, scripted
):
    from connectors.errors import TransportError

    with mock.patch.object(scripted, "check_credentials", side_effect=TransportError("timeout")):
        client_for(manager).post(url("check", scripted_account.pk))
    run = SyncRun.objects.get(account=scripted_account)
    assert (run.status, run.message) == (SyncStatus.FAILED, "timeout")
    scripted_account.refresh_from_db()
    assert scripted_account.health == AccountHealth.FAILING
