"""What the log keeps of free text, addresses and filters: ID numbers masked, the client's
address behind the proxy, the importer as the actor of the rows an import writes, and bad
filters refused without a server error or an export entry."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.actions import AccessAction
from audit.context import acting_for, client_address
from audit.models import AuditEntry
from audit.services import record_event
from tests.factories import FilingCommentFactory, FilingFactory, OperatorFactory, valid_ric

from .conftest import mark, since

pytestmark = pytest.mark.django_db

ID_NUMBER = valid_ric(77)


def test_an_id_number_in_a_comment_is_masked_in_the_diff_and_the_name(operator):
    filing = FilingFactory(operator=operator)
    start = mark()

    FilingCommentFactory(filing=filing, body=f"身份证 {ID_NUMBER} 已核对")

    [entry] = [e for e in since(start) if e.content_type.model == "filingcomment"]
    stored = str(entry.changes) + entry.object_repr
    assert ID_NUMBER not in stored
    assert ID_NUMBER[:6] + "********" in stored


def test_a_username_tried_that_is_an_id_number_is_masked(rf):
    entry = record_event(
        AccessAction.SIGN_IN_THROTTLED, actor_label=ID_NUMBER, request=rf.post("/accounts/login/")
    )
    assert ID_NUMBER not in entry.actor_label + entry.object_repr


def test_behind_the_proxy_the_address_is_the_one_the_proxy_sets(rf, settings):
    request = rf.get("/", REMOTE_ADDR="172.30.0.10", HTTP_X_REAL_IP="203.0.113.5")
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    assert client_address(request) == "203.0.113.5"
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None  # without a proxy a header is never read
    assert client_address(request) == "172.30.0.10"


def test_rows_written_for_a_person_without_a_request_name_that_person(manager, org):
    start = mark()
    with acting_for(manager):
        OperatorFactory(organization=org)
    [entry] = [e for e in since(start) if e.content_type.model == "operator"]
    assert entry.actor == manager


@pytest.mark.parametrize("value", ["²", "9" * 5000])
def test_a_strange_organization_filter_is_a_400_not_a_500(manager, client, value):
    client.force_login(manager)
    for name in ("dashboard:audit_log", "dashboard:audit_log_export"):
        assert client.get(reverse(name), {"organization": value}).status_code == 400
    assert not AuditEntry.objects.filter(access=AccessAction.EXPORTED).exists()


def test_a_refused_export_leaves_no_export_entry(manager, client):
    client.force_login(manager)
    response = client.get("/reports/export/persons.csv", {"sort": "no-such-column"})
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(access=AccessAction.EXPORTED).exists()
