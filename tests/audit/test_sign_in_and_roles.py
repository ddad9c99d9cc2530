"""Sign-in events (who, how, from where), failed sign-ins (the name tried), role changes,
changes made with no request (tasks, commands: "system"), and the retention purge."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from audit.actions import AccessAction
from audit.context import acting_as
from audit.models import AuditEntry
from audit.services import audit_entries_purge, record_event
from tests.factories import OperatorFactory

from .conftest import mark, since

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def member(manager):
    manager.set_password(PASSWORD)
    manager.save()
    return manager


def test_signing_in_on_the_page_is_recorded(client, member, org):
    start = mark()

    response = client.post(
        reverse("account_login"),
        {"login": member.username, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.4",
    )

    assert response.status_code == 302
    sign_ins = [e for e in since(start) if e.access == AccessAction.SIGN_IN]
    assert len(sign_ins) == 1
    entry = sign_ins[0]
    assert entry.actor == member
    assert entry.organization_id == org.pk
    assert entry.remote_addr == "192.0.2.4"
    assert entry.additional_data["methods"][0]["method"] == "password"
    assert entry.additional_data["two_factor"] is False


def test_a_wrong_password_is_recorded_with_the_name_tried(member, org, rf):
    request = rf.post("/accounts/login/", REMOTE_ADDR="192.0.2.5")
    start = mark()

    assert authenticate(request, username=member.username, password="wrong") is None
    assert authenticate(request, username="nobody-here", password="wrong") is None

    known, unknown = since(start)
    assert (known.access, unknown.access) == (AccessAction.SIGN_IN_FAILED,) * 2
    assert known.actor is None
    assert unknown.actor is None
    assert known.actor_label == member.username
    assert known.organization_id == org.pk
    assert unknown.actor_label == "nobody-here"
    assert unknown.organization_id is None
    assert known.remote_addr == unknown.remote_addr == "192.0.2.5"
    assert "wrong" not in str(known.additional_data) + str(unknown.additional_data)


def test_an_id_number_typed_as_the_name_is_masked(rf):
    from tests.factories import valid_ric

    number = valid_ric(77)
    start = mark()

    assert authenticate(rf.post("/accounts/login/"), username=number, password="x") is None

    [entry] = since(start)
    assert entry.access == AccessAction.SIGN_IN_FAILED
    assert number not in entry.actor_label
    assert number not in str(entry.additional_data)
    assert entry.actor_label.startswith(number[:6])


def test_a_role_change_is_recorded_with_old_and_new(manager, editor, org):
    membership = Membership.objects.get(user=editor, organization=org)
    start = mark()

    membership.role = Role.VIEWER
    membership.save()

    entries = since(start)
    role = [e for e in entries if e.access == AccessAction.ROLE_CHANGED]
    update = [e for e in entries if e.action == AuditEntry.Action.UPDATE]
    assert len(role) == 1
    assert len(update) == 1
    assert role[0].additional_data == {"user": editor.username, "from": "editor", "to": "viewer"}
    assert role[0].organization_id == org.pk
    assert update[0].changes["role"] == ["editor", "viewer"]


def test_changes_outside_a_request_name_the_system_or_a_label(org):
    start = mark()

    first = OperatorFactory(organization=org)
    with acting_as("connector:wechat"):
        second = OperatorFactory(organization=org)

    a, b = since(start)
    assert (a.object_pk, a.actor, a.actor_label) == (str(first.pk), None, "system")
    assert (b.object_pk, b.actor, b.actor_label) == (str(second.pk), None, "connector:wechat")
    assert a.organization_id == b.organization_id == org.pk


def test_the_purge_deletes_only_entries_past_retention(settings, manager, person):
    settings.AUDIT_RETENTION_DAYS = 30
    old = record_event(AccessAction.ID_REVEALED, actor=manager, target=person)
    new = record_event(AccessAction.ID_REVEALED, actor=manager, target=person)

    later = timezone.now() + datetime.timedelta(days=30, seconds=1)
    assert audit_entries_purge(now=later - datetime.timedelta(days=1)) == 0
    assert AuditEntry.objects.filter(pk__in=[old.pk, new.pk]).count() == 2
    deleted = audit_entries_purge(now=later)

    assert deleted >= 2
    assert not AuditEntry.objects.filter(pk__in=[old.pk, new.pk]).exists()
    assert audit_entries_purge(now=later) == 0  # safe to run again


def test_the_purge_is_registered_and_zero_days_keeps_everything(settings, manager, person):
    from core import purge

    settings.AUDIT_RETENTION_DAYS = 0
    entry = record_event(AccessAction.ID_REVEALED, actor=manager, target=person)

    assert "audit-log" in purge.registered()
    assert purge.purge(only=["audit-log"]) == {"audit-log": 0}
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_sso_links_and_recovery_codes_announced_by_allauth_are_recorded(manager, org, rf):
    from allauth.mfa import signals as mfa_signals
    from allauth.socialaccount import signals as social_signals
    from allauth.socialaccount.models import SocialAccount, SocialLogin

    org.sso_providers = ["feishu"]
    org.save()
    account = SocialAccount.objects.create(user=manager, provider="feishu", uid="ou_1")
    request = rf.get("/accounts/3rdparty/", REMOTE_ADDR="192.0.2.8")
    start = mark()

    social_signals.social_account_added.send(
        sender=SocialLogin, request=request, sociallogin=SocialLogin(account=account)
    )
    mfa_signals.authenticator_used.send(
        sender=None,
        request=request,
        user=manager,
        authenticator=SimpleNamespace(type="recovery_codes"),
    )
    mfa_signals.authenticator_used.send(
        sender=None, request=request, user=manager, authenticator=SimpleNamespace(type="totp")
    )

    linked, recovery = since(start)  # a TOTP code is part of a sign-in, not an event
    assert linked.access == AccessAction.SSO_LINKED
    assert linked.additional_data == {"provider": "feishu", "uid": "ou_1"}
    assert recovery.access == AccessAction.RECOVERY_CODE_USED
    assert linked.actor == recovery.actor == manager
    assert linked.organization_id == org.pk
    assert linked.remote_addr == "192.0.2.8"
