"""Every page: own organization 200, another tenant's object 404, anonymous to login,
viewers and clients refused on writes with nothing changed."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Model
from django.urls import reverse

from documents.models import LicenceAnnualReport
from filings.models import FilingApplication, FilingStatus, FilingStatusChange
from miniprograms.models import (
    Domain,
    IcpLicence,
    MiniProgram,
    Operator,
    PreApproval,
    ResponsiblePerson,
)
from tests.factories import IcpLicenceFactory, PersonFactory, PreApprovalFactory

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "dashboard:overview",
    "dashboard:portfolio",
    "dashboard:operator_list",
    "dashboard:miniprogram_list",
    "dashboard:domain_list",
    "dashboard:filing_list",
    "dashboard:licence_list",
    "dashboard:number_checker",
]
CREATE_PAGES = [
    "dashboard:operator_create",
    "dashboard:miniprogram_create",
    "dashboard:domain_create",
    "dashboard:filing_create",
]


def _licence_and_friends(reg) -> tuple[ResponsiblePerson, PreApproval, IcpLicence]:
    """The operator's person, pre-approval and licence (created the first time)."""
    op = reg["operator"]
    person = ResponsiblePerson.objects.filter(operator=op).first() or PersonFactory(operator=op)
    pa = PreApproval.objects.filter(operator=op).first() or PreApprovalFactory(operator=op)
    licence = IcpLicence.objects.filter(operator=op).first() or IcpLicenceFactory(operator=op)
    return person, pa, licence


def detail_urls(reg) -> list[str]:
    _, _, licence = _licence_and_friends(reg)
    return [
        reverse("dashboard:operator_detail", args=[reg["operator"].pk]),
        reverse("dashboard:miniprogram_detail", args=[reg["miniprogram"].pk]),
        reverse("dashboard:domain_detail", args=[reg["domain"].pk]),
        reverse("dashboard:filing_detail", args=[reg["filing"].pk]),
        reverse("dashboard:licence_detail", args=[licence.pk]),
    ]


def edit_urls(reg) -> list[str]:
    person, pa, licence = _licence_and_friends(reg)
    return [
        reverse("dashboard:person_edit", args=[reg["operator"].pk, person.pk]),
        reverse("dashboard:preapproval_edit", args=[pa.pk]),
        reverse("dashboard:licence_create", args=[reg["operator"].pk]),
        reverse("dashboard:licence_edit", args=[licence.pk]),
        reverse("dashboard:licence_annual_report", args=[licence.pk]),
        reverse("dashboard:operator_edit", args=[reg["operator"].pk]),
        reverse("dashboard:person_create", args=[reg["operator"].pk]),
        reverse("dashboard:preapproval_create", args=[reg["operator"].pk]),
        reverse("dashboard:miniprogram_edit", args=[reg["miniprogram"].pk]),
        reverse("dashboard:domain_edit", args=[reg["domain"].pk]),
        reverse(
            "dashboard:filing_transition", args=[reg["filing"].pk, FilingStatus.PROVIDER_REVIEW]
        ),
    ]


@pytest.mark.parametrize("name", LIST_PAGES + CREATE_PAGES)
def test_anonymous_is_sent_to_login_case(client_for, name):
    response = client_for().get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_anonymous_detail_pages_redirect_to_login(client_for, register):
    for url in detail_urls(register) + edit_urls(register):
        response = client_for().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


@pytest.mark.parametrize("name", LIST_PAGES + CREATE_PAGES)
def test_manager_gets_every_page_case(client_for, manager, register, name):
    response = client_for(manager).get(reverse(name))
    assert response.status_code == 200


def test_own_detail_and_edit_pages_answer_200(client_for, manager, register):
    c = client_for(manager)
    for url in detail_urls(register) + edit_urls(register):
        assert c.get(url).status_code == 200, url


def _rows() -> list[list[dict[str, Any]]]:
    """Every stored row of the register and the applications, for a before/after comparison."""
    models: list[type[Model]] = [Operator, ResponsiblePerson, PreApproval, MiniProgram, Domain]
    models += [FilingApplication, FilingStatusChange, IcpLicence, LicenceAnnualReport]
    return [list(m._default_manager.order_by("pk").values()) for m in models]


def test_other_tenants_objects_are_404_like_missing_ones(client_for, manager, other_register):
    c = client_for(manager)
    urls = detail_urls(other_register) + edit_urls(other_register)
    before = _rows()
    for url in urls:
        assert c.get(url).status_code == 404, url
        assert c.post(url, {"name_zh": "x"}).status_code == 404, url
    assert _rows() == before
    missing = reverse("dashboard:operator_detail", args=[999999])
    assert c.get(missing).status_code == 404


def test_lists_show_only_own_tenant(client_for, manager, register, other_register):
    c = client_for(manager)
    body = c.get(reverse("dashboard:operator_list")).content.decode()
    assert register["operator"].name_zh in body
    assert other_register["operator"].name_zh not in body
    body = c.get(reverse("dashboard:miniprogram_list")).content.decode()
    assert "鹏程商城" in body
    assert "别家小程序" not in body
    body = c.get(reverse("dashboard:domain_list")).content.decode()
    assert "pengcheng-test.cn" in body
    assert "other-test.cn" not in body
    body = c.get(reverse("dashboard:filing_list")).content.decode()
    assert f'data-filing-id="{register["filing"].pk}"' in body
    assert f'data-filing-id="{other_register["filing"].pk}"' not in body


@pytest.mark.parametrize("role", ["viewer", "client_user"])
def test_read_only_users_get_no_edit_controls_case(request, client_for, register, role):
    user = request.getfixturevalue(role)
    c = client_for(user)
    for url in detail_urls(register):
        body = c.get(url).content.decode()
        assert 'data-testid="edit-' not in body, url
        assert 'data-testid="action-' not in body, url
    for name in ("operator_list", "miniprogram_list", "domain_list", "filing_list"):
        body = c.get(reverse(f"dashboard:{name}")).content.decode()
        assert 'data-testid="add-' not in body
        assert 'id="bulk-form"' not in body


@pytest.mark.parametrize("role", ["viewer", "client_user"])
def test_read_only_users_are_refused_forms_and_posts_case(request, client_for, register, role):
    user = request.getfixturevalue(role)
    c = client_for(user)
    for name in CREATE_PAGES:
        assert c.get(reverse(name)).status_code == 403, name
    for url in edit_urls(register):
        assert c.get(url).status_code == 403, url
    op, mp, dom, filing = (register[k] for k in ("operator", "miniprogram", "domain", "filing"))
    before = (Operator.objects.count(), MiniProgram.objects.count(), Domain.objects.count())
    operator_data = {"name_zh": "改名", "province": "440000", "entity_type": "4", "uscc": op.uscc}
    responses = [
        c.post(reverse("dashboard:operator_edit", args=[op.pk]), operator_data),
        c.post(reverse("dashboard:miniprogram_edit", args=[mp.pk]), {"name": "改名"}),
        c.post(reverse("dashboard:domain_edit", args=[dom.pk]), {"name": "changed.cn"}),
        c.post(reverse("dashboard:operator_create"), {"name_zh": "新", "province": "440000"}),
        c.post(reverse("dashboard:filing_transition", args=[filing.pk, "provider_review"])),
        c.post(reverse("dashboard:filing_bulk"), {"filing": [filing.pk], "confirm": "yes"}),
    ]
    assert [r.status_code for r in responses[:5]] == [403] * 5
    assert responses[5].status_code == 302  # nothing selectable: message, no change
    op.refresh_from_db(), mp.refresh_from_db(), dom.refresh_from_db(), filing.refresh_from_db()
    assert op.name_zh == "深圳市测试科技有限公司"
    assert mp.name == "鹏程商城"
    assert dom.name == "pengcheng-test.cn"
    assert filing.status == FilingStatus.DRAFT
    assert FilingStatusChange.objects.count() == 0
    assert (Operator.objects.count(), MiniProgram.objects.count(), Domain.objects.count()) == before


def test_client_user_sees_only_assigned_operator(client_for, client_user, register, org):
    from tests.factories import OperatorFactory

    unassigned = OperatorFactory(organization=org, name_zh="未分配的客户有限公司")
    c = client_for(client_user)
    body = c.get(reverse("dashboard:operator_list")).content.decode()
    assert register["operator"].name_zh in body
    assert unassigned.name_zh not in body
    assert c.get(reverse("dashboard:operator_detail", args=[unassigned.pk])).status_code == 404
    assert (
        c.get(reverse("dashboard:portfolio")).content.decode().count('data-testid="portfolio-row"')
        == 1
    )


def test_filing_count_unchanged_by_refused_requests(client_for, viewer, register):
    c = client_for(viewer)
    data = {"operator": register["operator"].pk, "kind": "new_filing", "channel": "wechat"}
    assert c.post(reverse("dashboard:filing_create"), data).status_code == 403
    assert FilingApplication.objects.count() == 1


def test_reminders_shown_on_operator_and_filing_pages_only_for_their_operator(
    client_for, manager, register, other_operator
):
    from tests.factories import make_notification

    mine = make_notification(manager, register["operator"], title="x").reminder
    mine.subject_type, mine.subject_id = "miniprogram", register["miniprogram"].pk
    mine.message = "续费提醒：我的小程序"
    mine.save()
    theirs = make_notification(manager, other_operator, title="y", n=1).reminder
    theirs.message = "别人的提醒"
    theirs.save()
    c = client_for(manager)
    for url in (
        reverse("dashboard:operator_detail", args=[register["operator"].pk]),
        reverse("dashboard:filing_detail", args=[register["filing"].pk]),
    ):
        body = c.get(url).content.decode()
        assert "续费提醒：我的小程序" in body
        assert "别人的提醒" not in body
