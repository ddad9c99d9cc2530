"""Create/edit forms: service errors appear next to the field; valid input saves."""

from __future__ import annotations

import pytest
from django.urls import reverse

from filings.models import FilingApplication, FilingStatus
from miniprograms.models import Domain, MiniProgram, Operator, PreApproval, ResponsiblePerson
from tests.factories import valid_ric, valid_uscc

pytestmark = pytest.mark.django_db


def field_errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def test_operator_create_shows_uscc_error_inline_then_saves(client_for, manager, org):
    c = client_for(manager)
    url = reverse("dashboard:operator_create")
    data = {
        "organization": org.pk,
        "name_zh": "广州新客户科技有限公司",
        "entity_type": "4",
        "uscc": valid_uscc(77)[:-1] + ("0" if valid_uscc(77)[-1] != "0" else "1"),
        "province": "440000",
    }
    response = c.post(url, data)
    assert response.status_code == 200
    errors = field_errors(response, "uscc")
    assert len(errors) == 1
    assert "check character" in errors[0]
    body = response.content.decode()
    assert 'id="field-uscc"' in body
    assert "has-error" in body
    assert Operator.objects.count() == 0

    data["uscc"] = valid_uscc(77)
    response = c.post(url, data)
    op = Operator.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:operator_detail", args=[op.pk])
    assert (op.organization_id, op.name_zh, op.uscc) == (
        org.pk,
        "广州新客户科技有限公司",
        valid_uscc(77),
    )


def test_operator_edit_entity_number_error_then_valid(client_for, editor, operator):
    c = client_for(editor)
    url = reverse("dashboard:operator_edit", args=[operator.pk])
    data = {"name_zh": operator.name_zh, "entity_type": "4", "uscc": operator.uscc,
            "province": "440000", "entity_number": "萌ICP备22010101号"}  # fmt: skip
    response = c.post(url, data)
    assert response.status_code == 200
    assert "province abbreviation" in field_errors(response, "entity_number")[0]
    data["entity_number"] = "粤ICP备2024286477号"
    assert c.post(url, data).status_code == 302
    operator.refresh_from_db()
    assert operator.entity_number == "粤ICP备2024286477号"


def test_editor_limited_to_assigned_cannot_add_operators(client_for, org, operator):
    from accounts.models import Role
    from tests.factories import MembershipFactory

    m = MembershipFactory(organization=org, role=Role.EDITOR, limited_to_assigned=True)
    m.operators.set([operator])
    c = client_for(m.user)
    response = c.get(reverse("dashboard:operator_create"))
    assert response.status_code == 302
    assert Operator.objects.count() == 1
    # ...but may edit the assigned operator
    assert c.get(reverse("dashboard:operator_edit", args=[operator.pk])).status_code == 200


def test_person_create_rejects_bad_resident_id_then_saves(client_for, editor, operator):
    c = client_for(editor)
    url = reverse("dashboard:person_create", args=[operator.pk])
    data = {"role": "entity", "name": "张三", "id_type": "resident_id",
            "id_number": "110105198503150010", "mobile": "13912345678"}  # fmt: skip
    good = valid_ric(7)
    if data["id_number"] == good:
        data["id_number"] = good[:-1] + ("1" if good[-1] != "1" else "2")
    response = c.post(url, data)
    assert response.status_code == 200
    assert field_errors(response, "id_number")
    data["mobile"] = "12345"
    response = c.post(url, data)
    assert field_errors(response, "mobile")
    data.update(id_number=good, mobile="13912345678")
    assert c.post(url, data).status_code == 302
    person = ResponsiblePerson.objects.get()
    assert person.reveal_id_number() == good
    body = c.get(reverse("dashboard:operator_detail", args=[operator.pk])).content.decode()
    assert good not in body
    assert person.id_number_masked in body


def test_miniprogram_create_appid_error_then_saves(client_for, editor, operator):
    c = client_for(editor)
    url = reverse("dashboard:miniprogram_create")
    data = {"operator": operator.pk, "name": "鹏程商城", "kind": "miniprogram",
            "platform": "wechat", "appid": "not-an-appid", "lifecycle": "live"}  # fmt: skip
    response = c.post(url, data)
    assert response.status_code == 200
    assert field_errors(response, "appid")
    assert MiniProgram.objects.count() == 0
    data["appid"] = "wx1234567890abcdef"
    response = c.post(url, data)
    mp = MiniProgram.objects.get()
    assert response["Location"] == reverse("dashboard:miniprogram_detail", args=[mp.pk])
    assert (mp.operator_id, mp.appid) == (operator.pk, "wx1234567890abcdef")


def test_miniprogram_create_cannot_target_other_tenants_operator(
    client_for, editor, other_operator
):
    c = client_for(editor)
    data = {"operator": other_operator.pk, "name": "x", "kind": "miniprogram",
            "platform": "wechat", "appid": "wx1234567890abcdef", "lifecycle": "live"}  # fmt: skip
    response = c.post(reverse("dashboard:miniprogram_create"), data)
    assert response.status_code == 200
    assert field_errors(response, "operator")
    assert MiniProgram.objects.count() == 0


def test_miniprogram_edit_number_error_inline(client_for, editor, register):
    mp = register["miniprogram"]
    c = client_for(editor)
    url = reverse("dashboard:miniprogram_edit", args=[mp.pk])
    data = {"name": mp.name, "kind": "miniprogram", "platform": "wechat", "appid": mp.appid,
            "lifecycle": "live", "icp_number": "粤ICP备2024286477-1X"}  # fmt: skip
    response = c.post(url, data)
    assert response.status_code == 200
    assert field_errors(response, "icp_number")
    data["icp_number"] = "粤ICP备2024286477号-1X"
    assert c.post(url, data).status_code == 302
    mp.refresh_from_db()
    assert mp.icp_number == "粤ICP备2024286477号-1X"


def test_domain_create_and_edit(client_for, editor, operator):
    c = client_for(editor)
    url = reverse("dashboard:domain_create")
    data = {"operator": operator.pk, "name": "not a domain", "real_name_status": "verified"}
    response = c.post(url, data)
    assert response.status_code == 200
    assert field_errors(response, "name")
    data["name"] = "Example-Shop.CN"
    assert c.post(url, data).status_code == 302
    dom = Domain.objects.get()
    assert dom.name == "example-shop.cn"
    edit = reverse("dashboard:domain_edit", args=[dom.pk])
    response = c.post(
        edit, {"name": "example-shop.cn", "real_name_status": "verified", "site_name": "新名字"}
    )
    assert response.status_code == 302
    dom.refresh_from_db()
    assert dom.site_name == "新名字"


def test_filing_create_refuses_service_of_another_operator(client_for, editor, operator, org):
    from tests.factories import MiniProgramFactory, OperatorFactory

    second = OperatorFactory(organization=org)
    foreign_mp = MiniProgramFactory(operator=second)
    c = client_for(editor)
    url = reverse("dashboard:filing_create")
    data = {"operator": operator.pk, "kind": "new_filing", "channel": "wechat",
            "miniprogram": foreign_mp.pk}  # fmt: skip
    response = c.post(url, data)
    assert response.status_code == 200
    assert "another operator" in " ".join(
        str(e) for e in response.context["form"].non_field_errors()
    )
    assert FilingApplication.objects.count() == 0
    mp = MiniProgramFactory(operator=operator)
    data["miniprogram"] = mp.pk
    response = c.post(url, data)
    filing = FilingApplication.objects.get()
    assert response["Location"] == reverse("dashboard:filing_detail", args=[filing.pk])
    assert (filing.status, filing.miniprogram_id) == (FilingStatus.DRAFT, mp.pk)


def test_preapproval_create_for_a_service(client_for, editor, register):
    op, mp, dom = register["operator"], register["miniprogram"], register["domain"]
    c = client_for(editor)
    url = reverse("dashboard:preapproval_create", args=[op.pk])
    data = {"category": "药品和医疗器械", "miniprogram": mp.pk, "domain": dom.pk}
    response = c.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert PreApproval.objects.count() == 0
    data.pop("domain")
    data["licence_number"] = "(粤)-经营性-2024-0001"
    assert c.post(url, data).status_code == 302
    pa = PreApproval.objects.get()
    assert (pa.operator_id, pa.miniprogram_id, pa.category) == (op.pk, mp.pk, "药品和医疗器械")
    body = c.get(reverse("dashboard:operator_detail", args=[op.pk])).content.decode()
    assert 'data-testid="preapproval-row"' in body


def test_read_only_users_cannot_add_people_or_preapprovals(
    client_for, viewer, client_user, operator
):
    for user in (viewer, client_user):
        c = client_for(user)
        person = {"role": "entity", "name": "x", "id_type": "resident_id",
                  "id_number": valid_ric(3), "mobile": "13912345678"}  # fmt: skip
        assert (
            c.post(reverse("dashboard:person_create", args=[operator.pk]), person).status_code
            == 403
        )
        url = reverse("dashboard:preapproval_create", args=[operator.pk])
        assert c.get(url).status_code == 403
        assert c.post(url, {"category": "新闻"}).status_code == 403
    assert ResponsiblePerson.objects.count() == 0
    assert PreApproval.objects.count() == 0
