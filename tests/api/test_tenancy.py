"""Tenancy matrix: every API endpoint and admin page × {own org, other org, anonymous}."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from filings.models import FilingStatusChange
from miniprograms.models import IcpLicence
from tests.factories import (
    DomainFactory,
    FilingFactory,
    MiniProgramFactory,
    PersonFactory,
)


@pytest.fixture
def world(operator, other_operator):
    """One of everything in each tenant."""

    def build(op):
        mp = MiniProgramFactory(operator=op)
        filing = FilingFactory(miniprogram=mp)
        return {
            "operator": op,
            "miniprogram": mp,
            "domain": DomainFactory(operator=op),
            "person": PersonFactory(operator=op),
            "filing": filing,
            "organization": op.organization,
            "licence": IcpLicence.objects.create(
                organization=op.organization, operator=op, number=f"粤B2-2020{op.pk:04d}"
            ),
            "status_change": FilingStatusChange.objects.create(
                filing=filing, from_status="draft", to_status="provider_review"
            ),
        }

    return {"mine": build(operator), "theirs": build(other_operator)}


DETAIL = ["operator", "miniprogram", "domain", "person", "filing", "organization", "licence"]


@pytest.mark.parametrize("resource", DETAIL)
def test_list_shows_only_own_tenant(resource, world, api, manager):
    response = api(manager).get(reverse(f"{resource}-list"))
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {world["mine"][resource].pk}


@pytest.mark.parametrize("resource", DETAIL)
def test_detail_other_tenant_is_404_exactly_like_missing(resource, world, api, manager):
    c = api(manager)
    own = c.get(reverse(f"{resource}-detail", args=[world["mine"][resource].pk]))
    theirs = c.get(reverse(f"{resource}-detail", args=[world["theirs"][resource].pk]))
    missing = c.get(reverse(f"{resource}-detail", args=[999999]))
    assert own.status_code == 200
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()


@pytest.mark.parametrize("resource", DETAIL)
def test_anonymous_gets_nothing(resource, world, api):
    for url in (
        reverse(f"{resource}-list"),
        reverse(f"{resource}-detail", args=[world["mine"][resource].pk]),
    ):
        response = api().get(url)
        assert response.status_code == 403  # session auth first: no WWW-Authenticate, so 403
        assert str(world["mine"]["operator"].name_zh) not in response.content.decode()


@pytest.mark.parametrize("who", ["other_manager", "anonymous"])
def test_transition_on_someone_elses_filing_changes_nothing(who, world, api, other_manager):
    filing = world["mine"]["filing"]
    user = other_manager if who == "other_manager" else None
    response = api(user).post(
        reverse("filing-transition", args=[filing.pk]), {"to": "provider_review"}, format="json"
    )
    assert response.status_code == (404 if user else 403)
    filing.refresh_from_db()
    assert filing.status == "draft"


def test_cannot_create_under_another_tenants_operator(world, api, manager):
    response = api(manager).post(
        reverse("miniprogram-list"),
        {
            "operator": world["theirs"]["operator"].pk,
            "name": "偷偷的小程序",
            "platform": "wechat",
            "appid": "wx0123456789abcdef",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "operator" in response.json()
    assert not world["theirs"]["operator"].miniprograms.filter(name="偷偷的小程序").exists()


def test_limited_staff_see_only_assigned_operators(world, api, org, operator):
    from accounts.models import Role
    from tests.factories import MembershipFactory, OperatorFactory

    unassigned = OperatorFactory(organization=org)
    m = MembershipFactory(organization=org, role=Role.EDITOR, limited_to_assigned=True)
    m.operators.set([operator])
    ids = {r["id"] for r in api(m.user).get(reverse("operator-list")).json()["results"]}
    assert ids == {operator.pk}
    assert api(m.user).get(reverse("operator-detail", args=[unassigned.pk])).status_code == 404


def test_client_user_is_read_only(world, api, client_user, operator):
    c = api(client_user)
    assert c.get(reverse("operator-detail", args=[operator.pk])).status_code == 200
    response = c.patch(
        reverse("operator-detail", args=[operator.pk]), {"name_en": "changed"}, format="json"
    )
    assert response.status_code == 403
    operator.refresh_from_db()
    assert operator.name_en != "changed"


# -- admin -------------------------------------------------------------------------------------

ADMIN_MODELS = [
    ("miniprograms", "operator", "operator"),
    ("miniprograms", "miniprogram", "miniprogram"),
    ("miniprograms", "domain", "domain"),
    ("miniprograms", "responsibleperson", "person"),
    ("filings", "filingapplication", "filing"),
    ("accounts", "organization", "organization"),
    ("miniprograms", "icplicence", "licence"),
    ("filings", "filingstatuschange", "status_change"),
]


@pytest.fixture
def staff(org):
    """A staff member of `org` holding every model permission, but not a superuser."""
    from accounts.models import Role
    from tests.factories import MembershipFactory

    user = MembershipFactory(organization=org, role=Role.MANAGER).user
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.exclude(codename="reveal_pii"))
    return user


@pytest.mark.parametrize(("app", "model", "key"), ADMIN_MODELS)
def test_admin_changelist_scoped(app, model, key, world, client, staff):
    client.force_login(staff)
    response = client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"/{world['mine'][key].pk}/change/" in body
    assert f"/{world['theirs'][key].pk}/change/" not in body


@pytest.mark.parametrize(("app", "model", "key"), ADMIN_MODELS)
def test_admin_change_page_other_tenant_like_missing(app, model, key, world, client, staff):
    client.force_login(staff)
    own = client.get(reverse(f"admin:{app}_{model}_change", args=[world["mine"][key].pk]))
    theirs = client.get(reverse(f"admin:{app}_{model}_change", args=[world["theirs"][key].pk]))
    missing = client.get(reverse(f"admin:{app}_{model}_change", args=[987654]))
    assert own.status_code == 200
    # TenantAdmin answers a missing object with a 404 (not Django's redirect and message);
    # "not yours" must be indistinguishable from it.
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content


@pytest.mark.parametrize(("app", "model", "key"), ADMIN_MODELS)
def test_admin_anonymous_redirected_to_login(app, model, key, world, client):
    response = client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_transition_view_other_tenant_404(world, client, staff):
    client.force_login(staff)
    url = reverse("admin:filings_filingapplication_transition", args=[world["theirs"]["filing"].pk])
    assert client.get(url).status_code == 404
