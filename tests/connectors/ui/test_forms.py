"""The create form is built from the kind: its credential fields, the operator select."""

from __future__ import annotations

import pytest
from django.urls import reverse

from connectors.models import ConnectorAccount
from tests.factories.connectors import TENCENT_CREDENTIALS

from .conftest import secrets_in

pytestmark = pytest.mark.django_db


def test_tencent_form_asks_for_the_filing_entity_and_creates_with_it(
    client_for, manager, org, operator, other_operator
):
    c = client_for(manager)
    create = reverse("connectors:create") + "?kind=tencent_cloud"
    form = c.get(create).content.decode()
    assert 'name="operator"' in form
    assert f'value="{operator.pk}"' in form
    assert f'value="{other_operator.pk}"' not in form  # another tenant's entity is not offered
    assert 'type="password" name="cred_secret_key"' in form
    data = {
        "kind": "tencent_cloud",
        "organization": org.pk,
        "name": "主体腾讯云",
        "cadence_minutes": 60,
        "cred_secret_id": TENCENT_CREDENTIALS["secret_id"],
        "cred_secret_key": TENCENT_CREDENTIALS["secret_key"],
    }
    missing = c.post(create, data)
    assert missing.status_code == 400
    assert not ConnectorAccount.objects.exists()
    assert secrets_in(missing.content.decode()) == [TENCENT_CREDENTIALS["secret_id"]]
    assert c.post(create, {**data, "operator": operator.pk}).status_code == 302
    account = ConnectorAccount.objects.get()
    assert (account.kind, account.operator) == ("tencent_cloud", operator)
    assert account.credential_values() == TENCENT_CREDENTIALS


def test_wechat_form_has_no_operator_select_and_shows_the_kind(client_for, manager):
    html = client_for(manager).get(reverse("connectors:create") + "?kind=wechat").content.decode()
    assert 'name="operator"' not in html
    assert 'name="cred_encoding_aes_key"' in html
    assert 'data-testid="connector-save"' in html


def test_an_unknown_kind_shows_the_choice(client_for, manager):
    html = client_for(manager).get(reverse("connectors:create") + "?kind=nope").content.decode()
    assert 'data-testid="connector-kinds"' in html
    assert 'data-testid="connector-kind-tencent_cloud"' in html
