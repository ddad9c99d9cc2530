"""Register services: licences and public-security numbers are checked like filing numbers."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.exceptions import PermissionDeniedError
from miniprograms.services import domain_create, domain_update, licence_create


def test_licence_number_is_parsed_and_stored_canonically(manager, operator):
    licence = licence_create(user=manager, operator=operator, number="粤B2-20090059号")
    assert licence.number == "粤B2-20090059"


@pytest.mark.parametrize(
    ("number", "needle"),
    [("粤ICP备2024286477号", "not a licence"), ("萌B2-20090059", "萌")],
    ids=["filing_number", "unknown_province"],
)
def test_licence_number_rejected_with_reason(number, needle, manager, operator):
    with pytest.raises(ValidationError) as exc:
        licence_create(user=manager, operator=operator, number=number)
    assert needle in " ".join(exc.value.message_dict["number"])
    assert not operator.licences.exists()


def test_viewer_cannot_record_a_licence(viewer, operator):
    with pytest.raises(PermissionDeniedError):
        licence_create(user=viewer, operator=operator, number="粤B2-20090059")
    assert not operator.licences.exists()


def test_domain_psb_number_normalised_and_checked(manager, operator):
    d = domain_create(
        user=manager,
        operator=operator,
        name="psb-test.cn",
        psb_number="京公网安备 11010802020088 号",
    )
    assert d.psb_number == "京公网安备11010802020088号"
    with pytest.raises(ValidationError) as exc:
        domain_update(user=manager, domain=d, psb_number="京ICP备11041704号")
    assert "public-security" in exc.value.message_dict["psb_number"][0]
    with pytest.raises(ValidationError) as exc:
        domain_update(user=manager, domain=d, psb_number="豫公网安备44030402000001号")
    assert "psb_number" in exc.value.message_dict
    d.refresh_from_db()
    assert d.psb_number == "京公网安备11010802020088号"


def test_domain_api_exposes_psb_fields(api, manager, operator):
    response = api(manager).post(
        reverse("domain-list"),
        {"operator": operator.pk, "name": "psb-api.cn", "psb_number": "浙公网安备33010602009975号"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["psb_number"] == "浙公网安备33010602009975号"


def test_every_service_kind_names_the_number_service_type_of_the_same_value():
    from icp.numbers import ServiceType
    from miniprograms.models import MiniProgram, ServiceKind

    for kind in ServiceKind:
        assert MiniProgram(kind=kind).number_service_type == ServiceType(kind.value)
