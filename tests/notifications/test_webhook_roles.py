"""Personal webhooks are offered to the roles an organization allows; webhooks saved before
the egress guard are switched off (or cleared) by migration 0010's function."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.access import can_use_personal_webhook
from accounts.services import organization_update
from core.exceptions import PermissionDeniedError
from notifications import services
from notifications.models import Channel, Delivery, DeliveryStatus, NotificationPreference
from notifications.webhook_audit import disable_unsafe_webhooks
from tests.egress_fakes import Listener
from tests.factories import WebhookEndpointFactory

from .conftest import end_of

pytestmark = pytest.mark.django_db
D = datetime.date


def test_by_default_managers_and_editors_are_offered_a_personal_webhook(
    manager, editor, viewer, client_user
):
    offered = [can_use_personal_webhook(u) for u in (manager, editor, viewer, client_user)]
    assert offered == [True, True, False, False]


def test_the_client_role_does_not_see_the_field(client, client_user, manager):
    client.force_login(client_user)
    assert 'name="webhook_url"' not in client.get(reverse("notification_pages:preferences")).text
    client.force_login(manager)
    assert 'name="webhook_url"' in client.get(reverse("notification_pages:preferences")).text


def test_the_client_role_cannot_set_one_through_the_api(client_user, api):
    res = api(client_user).patch(
        "/api/v1/notifications/preferences/",
        {"webhook_url": "wecombot://KEY0123456789"},
        format="json",
    )
    assert res.status_code == 403
    assert not NotificationPreference.objects.filter(user=client_user).exists()


def test_the_client_role_posting_the_field_anyway_saves_no_webhook(client, client_user):
    client.force_login(client_user)
    resp = client.post(
        reverse("notification_pages:preferences"),
        {"mode": "immediate", "webhook_url": "wecombot://KEY0123456789", "language": "en"},
    )
    assert resp.status_code == 302
    assert NotificationPreference.objects.get(user=client_user).webhook_url == ""


def test_an_organization_may_offer_it_to_viewers(org, viewer, api):
    org.personal_webhook_roles = ["manager", "editor", "viewer"]
    org.save()
    res = api(viewer).patch(
        "/api/v1/notifications/preferences/",
        {"webhook_url": "wecombot://KEY0123456789"},
        format="json",
    )
    assert res.status_code == 200, res.json()


def test_a_stored_personal_webhook_of_a_role_not_offered_is_not_sent(mp, manager, settings, org):
    # given: the manager's personal hook on an allowed listener, then managers lose the offer
    settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]
    with Listener() as srv:
        NotificationPreference.objects.create(
            user=manager, webhook_url=f"json://127.0.0.1:{srv.port}/me"
        )
        org.personal_webhook_roles = ["editor"]
        org.save()

        # when
        services.sweep_run_inline(as_of=D(2024, 3, 25), now=end_of(D(2024, 3, 25)))

    # then
    hook = Delivery.objects.get(channel=Channel.WEBHOOK)
    assert hook.status == DeliveryStatus.FAILED
    assert "not offered" in hook.last_error
    assert srv.seen == []


def test_the_migration_function_switches_off_unsafe_endpoints_and_clears_personal_ones(
    org, manager, hosts_file
):
    # given
    unsafe = WebhookEndpointFactory(
        organization=org, kind="json", url="json://169.254.169.254/", language="en"
    )
    override = WebhookEndpointFactory(
        organization=org, kind="json", url="json://example.com/?+Metadata-Flavor=Google"
    )
    safe = WebhookEndpointFactory(organization=org, kind="wecom", url="wecombot://KEY0123456789")
    manager.language = "en"
    manager.save(update_fields=["language"])
    NotificationPreference.objects.create(user=manager, webhook_url="json://localhost:8080/")

    # when
    report = disable_unsafe_webhooks(django_apps)

    # then: judged without a single DNS lookup
    assert hosts_file.lookups == []

    # then
    for row in (unsafe, override, safe):
        row.refresh_from_db()
    assert (unsafe.is_active, override.is_active, safe.is_active) == (False, False, True)
    assert [pk for pk, _why in report.disabled_endpoints] == [unsafe.pk, override.pk]
    assert "cloud metadata" in report.disabled_endpoints[0][1]
    assert NotificationPreference.objects.get(user=manager).webhook_url == ""
    assert report.cleared_preferences == [
        (manager.pk, "“localhost” is a local or internal name: requests to it are refused.")
    ]
    # then: each owner finds a note on the webhook, in its language
    assert unsafe.disabled_reason.startswith("Switched off by icpfiling:")
    assert "cloud metadata" in unsafe.disabled_reason
    assert override.disabled_reason != ""
    assert safe.disabled_reason == ""
    pref = NotificationPreference.objects.get(user=manager)
    assert "“localhost” is a local or internal name" in pref.webhook_removed_reason


def test_the_owner_reads_the_note_until_the_webhook_is_fixed(org, manager, client, hosts_file):
    # given: an endpoint and a personal webhook switched off by the migration function
    endpoint = WebhookEndpointFactory(
        organization=org, kind="json", url="json://10.0.0.5/hook", language="en"
    )
    manager.language = "en"
    manager.save(update_fields=["language"])
    NotificationPreference.objects.create(user=manager, webhook_url="json://127.0.0.1/")
    disable_unsafe_webhooks(django_apps)
    client.force_login(manager)

    # when / then: the preferences page and the API show why
    page = client.get(reverse("notification_pages:preferences"))
    assert "Your personal webhook was removed." in page.content.decode()
    api = client.get("/api/v1/notifications/preferences/").json()
    assert "127.0.0.1" in api["webhook_removed_reason"]
    listed = client.get(f"/api/v1/webhooks/{endpoint.pk}/").json()
    assert listed["is_active"] is False
    assert "10.0.0.5" in listed["disabled_reason"]

    # when: the manager points it at a public chat bot and switches it on
    services.webhook_endpoint_update(
        user=manager,
        endpoint=endpoint,
        kind="wecom",
        url="wecombot://KEY0123456789",
        is_active=True,
    )
    services.preference_update(user=manager, webhook_url="")

    # then: the notes are gone
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.disabled_reason) == (True, "")
    assert NotificationPreference.objects.get(user=manager).webhook_removed_reason == ""
    assert (
        "Your personal webhook was removed."
        not in client.get(reverse("notification_pages:preferences")).content.decode()
    )


def test_managers_choose_the_roles_offered_a_personal_webhook(org, manager, editor):
    organization_update(user=manager, organization=org, personal_webhook_roles=["manager"])
    org.refresh_from_db()
    assert org.personal_webhook_roles == ["manager"]

    with pytest.raises(ValidationError) as exc:
        organization_update(user=manager, organization=org, personal_webhook_roles=["root"])
    assert "personal_webhook_roles" in exc.value.message_dict
    with pytest.raises(PermissionDeniedError):
        organization_update(user=editor, organization=org, personal_webhook_roles=["editor"])
    org.refresh_from_db()
    assert org.personal_webhook_roles == ["manager"]
