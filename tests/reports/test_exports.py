"""Exports: same filters and scope as the lists, formulas neutralised, PII masked."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook

from reports.exports import neutralise
from tests.factories import (
    DomainFactory,
    FilingFactory,
    MiniProgramFactory,
    OperatorFactory,
    PersonFactory,
    enable_totp,
)

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x","y")'


def _xlsx_rows(response):
    content = b"".join(response.streaming_content)  # streamed from a temporary file
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in ws.iter_rows()]


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 139", "'+86 139"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("深圳", "深圳"),
        ("a=b", "a=b"),
        (5, 5),
        (None, None),
    ],
    ids=["eq", "plus", "minus", "at", "tab", "cr", "cjk", "inner_eq", "int", "none"],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_formula_in_a_field_arrives_as_text_in_xlsx(api, manager, org):
    OperatorFactory(organization=org, name_en=FORMULA)

    response = api(manager).get("/api/v1/exports/operators.xlsx")

    assert response.status_code == 200
    rows = _xlsx_rows(response)
    header = [c.value for c in rows[0]]
    cell = rows[1][header.index("English name")]
    assert cell.data_type == "s"
    assert cell.value == "'" + FORMULA


def test_formula_in_a_field_arrives_as_text_in_csv(api, manager, org):
    OperatorFactory(organization=org, name_en=FORMULA)

    response = api(manager).get("/api/v1/exports/operators/?format=csv")

    assert response.status_code == 200
    rows = _csv_rows(response)
    assert rows[1][rows[0].index("English name")] == "'" + FORMULA


def test_control_character_before_a_formula_is_still_neutralised_in_xlsx(api, manager, org):
    OperatorFactory(organization=org, name_en="\x01" + FORMULA)

    rows = _xlsx_rows(api(manager).get("/api/v1/exports/operators.xlsx"))

    header = [c.value for c in rows[0]]
    assert rows[1][header.index("English name")].value == "'" + FORMULA


@pytest.mark.parametrize(
    "resource", ["operators", "miniprograms", "domains", "filings", "persons", "compliance"]
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_never_include_another_organizations_rows(
    api, manager, org, other_org, resource, fmt
):
    mine = MiniProgramFactory(operator__organization=org, operator__name_zh="我的客户有限公司")
    DomainFactory(operator=mine.operator)
    PersonFactory(operator=mine.operator)
    theirs = MiniProgramFactory(
        operator__organization=other_org, operator__name_zh="别人的客户有限公司"
    )
    DomainFactory(operator=theirs.operator)
    PersonFactory(operator=theirs.operator)
    FilingFactory(miniprogram=mine)
    FilingFactory(miniprogram=theirs)

    response = api(manager).get(f"/api/v1/exports/{resource}.{fmt}")

    assert response.status_code == 200
    if fmt == "csv":
        text = "\n".join(",".join(r) for r in _csv_rows(response))
    else:
        text = "\n".join(str(c.value) for r in _xlsx_rows(response) for c in r)
    assert "别人的客户有限公司" not in text
    if resource != "compliance":
        assert "我的客户有限公司" in text


def test_export_uses_the_list_filters(api, manager, org):
    OperatorFactory(organization=org, name_zh="广东甲有限公司", province_id="440000")
    OperatorFactory(organization=org, name_zh="浙江乙有限公司", province_id="330000")

    by_province = _csv_rows(api(manager).get("/api/v1/exports/operators.csv?province=330000"))
    by_search = _csv_rows(api(manager).get("/api/v1/exports/operators.csv?search=广东"))

    names = by_province[0].index("Legal name (Chinese)")
    assert [r[names] for r in by_province[1:]] == ["浙江乙有限公司"]
    assert [r[names] for r in by_search[1:]] == ["广东甲有限公司"]


def test_export_rejects_bad_filters_like_the_list(api, manager, org):
    response = api(manager).get("/api/v1/exports/miniprograms.csv?operator=abc")

    assert response.status_code == 400


def test_personal_data_is_masked_unless_the_user_may_reveal_it(api, manager, org):
    person = PersonFactory(operator__organization=org, mobile="13912345678")
    full_id = person.reveal_id_number()

    masked = _csv_rows(api(manager).get("/api/v1/exports/persons.csv"))
    manager.user_permissions.add(Permission.objects.get(codename="reveal_pii"))
    enable_totp(manager)  # revealing needs a second factor
    manager = type(manager).objects.get(pk=manager.pk)  # drop the permission cache
    revealed = _csv_rows(api(manager).get("/api/v1/exports/persons.csv"))

    id_col, mobile_col = masked[0].index("ID number"), masked[0].index("Mobile")
    assert masked[1][id_col] == person.id_number_masked != full_id
    assert masked[1][mobile_col] == "139****5678"
    assert revealed[1][id_col] == full_id
    assert revealed[1][mobile_col] == "13912345678"


def test_dashboard_export_follows_filters_and_scope(client, manager, org, other_org):
    OperatorFactory(organization=org, name_zh="广东甲有限公司", province_id="440000")
    OperatorFactory(organization=org, name_zh="浙江乙有限公司", province_id="330000")
    OperatorFactory(organization=other_org, name_zh="别人的有限公司", province_id="330000")
    client.force_login(manager)

    response = client.get("/reports/export/operators.xlsx?province=330000")

    assert response.status_code == 200
    values = [c.value for r in _xlsx_rows(response)[1:] for c in r]
    assert "浙江乙有限公司" in values
    assert "广东甲有限公司" not in values
    assert "别人的有限公司" not in values


def test_unknown_export_is_404(api, client, manager):
    assert api(manager).get("/api/v1/exports/users.csv").status_code == 404
    client.force_login(manager)
    assert client.get("/reports/export/operators.pdf").status_code == 404


def test_anonymous_export_is_refused(api, client):
    assert api().get("/api/v1/exports/operators.csv").status_code == 403
    assert client.get("/reports/export/operators.csv").status_code == 302


def test_export_filters_services_by_compliance_state_like_the_list(api, manager, org):
    op = OperatorFactory(organization=org)
    MiniProgramFactory(operator=op, name="上线未备案")
    MiniProgramFactory(operator=op, name="已备案", icp_number="粤ICP备2023000001号-1X")

    rows = _csv_rows(api(manager).get("/api/v1/exports/miniprograms.csv?compliance=live_unfiled"))
    bad = api(manager).get("/api/v1/exports/miniprograms.csv?compliance=expired")

    names = rows[0].index("Name")
    assert [r[names] for r in rows[1:]] == ["上线未备案"]
    assert bad.status_code == 400
