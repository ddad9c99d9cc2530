"""The admin and the audit log never show a connector's credentials; the admin is scoped."""

from __future__ import annotations

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEntry
from connectors import services
from connectors.models import ConnectorAccount
from tests.factories import make_staff
from tests.factories.connectors import (
    CertificationReviewFactory,
    ConnectorFindingFactory,
    ConnectorLinkFactory,
    FaceVerifyTaskFactory,
    PushEventFactory,
    SyncRunFactory,
)

from .conftest import secrets_in

pytestmark = pytest.mark.django_db

NEW_SECRET = "brand-new-app-secret-777"


def test_admin_list_and_change_pages_show_credentials_masked_only(
    client, superuser, wechat_account
):
    client.force_login(superuser)
    listing = client.get(reverse("admin:connectors_connectoraccount_changelist"))
    change = client.get(
        reverse("admin:connectors_connectoraccount_change", args=[wechat_account.pk])
    )
    assert listing.status_code == change.status_code == 200
    assert secrets_in(listing.content.decode()) == []
    html = change.content.decode()
    assert secrets_in(html) == []
    assert "wx0…def" in html
    assert "••••••••" in html


def test_admin_record_pages_open_without_secrets(client, superuser, wechat_account):
    link = ConnectorLinkFactory(account=wechat_account)
    rows = {
        "syncrun": SyncRunFactory(account=wechat_account),
        "connectorlink": link,
        "connectorfinding": ConnectorFindingFactory(link=link),
        "pushevent": PushEventFactory(account=wechat_account),
        "faceverifytask": FaceVerifyTaskFactory(account=wechat_account),
        "certificationreview": CertificationReviewFactory(account=wechat_account),
    }
    client.force_login(superuser)
    for model, row in rows.items():
        for page in (
            client.get(reverse(f"admin:connectors_{model}_changelist")),
            client.get(reverse(f"admin:connectors_{model}_change", args=[row.pk])),
        ):
            assert page.status_code == 200, model
            assert secrets_in(page.content.decode()) == [], model


def test_admin_staff_of_another_organization_gets_404(client, other_org, wechat_account):
    staff = make_staff(other_org, Role.MANAGER)
    client.force_login(staff)
    change = client.get(
        reverse("admin:connectors_connectoraccount_change", args=[wechat_account.pk])
    )
    assert change.status_code == 404
    listing = client.get(reverse("admin:connectors_connectoraccount_changelist"))
    assert wechat_account.name not in listing.content.decode()


def test_admin_edit_goes_through_the_service_and_keeps_credentials(client, org, wechat_account):
    staff = make_staff(org, Role.MANAGER)
    client.force_login(staff)
    url = reverse("admin:connectors_connectoraccount_change", args=[wechat_account.pk])
    response = client.post(url, {"name": "后台改名", "cadence_minutes": 90, "enabled": "on"})
    assert response.status_code == 302
    before = wechat_account.credentials
    wechat_account.refresh_from_db()
    assert (wechat_account.name, wechat_account.cadence_minutes) == ("后台改名", 90)
    assert wechat_account.credentials == before


def _entries(account: ConnectorAccount):
    ct = ContentType.objects.get_for_model(ConnectorAccount)
    return AuditEntry.objects.filter(content_type=ct, object_pk=str(account.pk))


def test_audit_entries_record_changes_with_credentials_masked(manager, org):
    account = services.account_create(
        user=manager,
        organization=org,
        kind="scripted",
        name="audited",
        credentials={"key": "first-secret-value-1"},
    )
    services.account_update(
        user=manager, account=account, name="audited 2", credentials={"key": NEW_SECRET}
    )
    entries = list(_entries(account))
    assert len(entries) == 2
    dumped = json.dumps([e.changes for e in entries], ensure_ascii=False)
    assert secrets_in(dumped, "first-secret-value-1", NEW_SECRET) == []
    update = next(e for e in entries if "name" in e.changes and e.changes["name"][0] == "audited")
    assert update.changes["credentials"] == ["***", "***"]
    assert update.organization_id == org.pk


def test_audit_of_a_factory_account_hides_its_values(manager, wechat_account):
    services.account_update(
        user=manager, account=wechat_account, credentials={"component_appsecret": NEW_SECRET}
    )
    dumped = json.dumps([e.changes for e in _entries(wechat_account)], ensure_ascii=False)
    assert "credentials" in dumped
    assert secrets_in(dumped, NEW_SECRET) == []


def test_deleting_is_audited_without_secrets(manager, wechat_account):
    pk = wechat_account.pk
    services.account_delete(user=manager, account=wechat_account)
    assert not ConnectorAccount.objects.filter(pk=pk).exists()
    ct = ContentType.objects.get_for_model(ConnectorAccount)
    deleted = AuditEntry.objects.filter(content_type=ct, object_pk=str(pk))
    assert deleted.exists()
    assert secrets_in(json.dumps([e.changes for e in deleted], ensure_ascii=False)) == []
