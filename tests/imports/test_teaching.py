"""An import that teaches: every problem of a row at once, in the reader's language, a
template with examples and dropdowns, the file back with its problems, and a retry."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from imports import reader
from imports.cells import read_cell
from imports.columns import SHEETS
from imports.models import ImportRun, ImportStatus
from imports.workbooks import choice_options
from miniprograms.models import MiniProgram, Operator
from tests.factories import OperatorFactory, valid_uscc

from .helpers import MP_HEAD, portfolio_sheets, xlsx

pytestmark = pytest.mark.django_db


def _page_upload(client, content: bytes, name: str = "p.xlsx", headers=None, **extra) -> ImportRun:
    response = client.post(
        "/reports/imports/", {"file": SimpleUploadedFile(name, content), **extra}, headers=headers
    )
    assert response.status_code == 202  # accepted: the page polls the worker's check
    return ImportRun.objects.latest("id")


def _bad_mp_row(op) -> bytes:
    return xlsx(
        {
            "miniprograms": [
                MP_HEAD,
                [op.uscc, "坏小程序", "抖音", "xx", "31/12/2024", "已上线", "ICP123"],
            ]
        }
    )


def test_every_problem_of_a_row_is_reported_cells_and_register_checks(client, manager, org):
    op = OperatorFactory(organization=org)
    client.force_login(manager)

    run = _page_upload(client, _bad_mp_row(op))

    fields = sorted(e["field"] for e in run.errors if e["row"] == 2)
    # the unreadable date, and still the AppID and filing number checks of the same row
    assert fields == ["appid", "icp_number", "launch_date"]
    assert run.status == ImportStatus.INVALID
    assert MiniProgram.objects.count() == 0


def test_a_row_with_a_bad_cell_is_never_written_even_if_the_rest_is_valid(client, manager, org):
    op = OperatorFactory(organization=org)
    client.force_login(manager)
    rows = [MP_HEAD, [op.uscc, "好", "微信", "wx0123456789abcdef", "soon", "已上线", ""]]

    run = _page_upload(client, xlsx({"miniprograms": rows}))

    assert [(e["row"], e["field"]) for e in run.errors] == [(2, "launch_date")]
    assert client.post(f"/reports/imports/{run.pk}/commit/").status_code == 302
    assert MiniProgram.objects.count() == 0


def test_appid_message_names_the_platform_and_pattern_in_chinese(client, manager, org):
    op = OperatorFactory(organization=org)
    manager.language = "zh-hans"  # the person's language, whatever the browser asks for
    manager.save(update_fields=["language"])
    client.force_login(manager)

    run = _page_upload(client, _bad_mp_row(op), headers={"accept-language": "en"})

    reason = next(e["reason"] for e in run.errors if e["field"] == "appid")
    assert "抖音" in reason
    assert "douyin" not in reason
    assert "tt 后跟 16 位字母或数字" in reason
    assert "followed" not in reason


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_dropdown_option_reads_back_to_its_value(lang):
    for sheet in SHEETS.values():
        for col in sheet["cols"]:
            if col.kind not in ("choice", "province"):
                continue
            options = choice_options(col, lang)
            assert len(options) == len(set(options))
            for option in options:
                read_cell(col, option)  # raises CellError when not recognised


@pytest.mark.parametrize(
    ("lang", "sheet", "examples", "platform"),
    [
        ("en", "Mini-programs and apps", "Examples", "WeChat"),
        ("zh-hans", "小程序和App", "示例", "微信"),
    ],
)
def test_template_has_dropdowns_and_an_example_sheet_that_is_not_imported(
    client, manager, lang, sheet, examples, platform
):
    client.force_login(manager)

    content = client.get(f"/reports/imports/template.xlsx?lang={lang}").content

    wb = load_workbook(io.BytesIO(content))
    ws = wb[sheet]
    platform_col = "D"  # operator, name, kind, platform
    validations = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert any(platform_col + "2" in str(dv.sqref) for dv in validations)
    hidden = [w for w in wb.worksheets if w.sheet_state == "hidden"]
    assert len(hidden) == 1
    listed = [c.value for row in hidden[0].iter_rows() for c in row if c.value]
    assert platform in listed
    example_rows = list(wb[examples].iter_rows(values_only=True))
    assert any(platform in row for row in example_rows)
    # the example sheet is not one of the lists: the template imports no row
    tables, errors = reader.read_file(content, "template.xlsx")
    assert errors == []
    assert sum(len(t.rows) for t in tables) == 0


def test_problems_file_lists_each_rows_problems_and_imports_once_fixed(client, manager, org):
    client.force_login(manager)
    sheets = portfolio_sheets(2)
    sheets["主办单位"][2][3] = "123"  # second operator: bad USCC
    run = _page_upload(client, xlsx(sheets))
    assert run.status == ImportStatus.INVALID

    page = client.get(f"/reports/imports/{run.pk}/").content.decode()
    assert f"/reports/imports/{run.pk}/problems/" in page
    assert 'data-testid="import-retry-form"' in page
    response = client.get(f"/reports/imports/{run.pk}/problems/")

    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["主办单位"]
    head = [c.value for c in ws[1]]
    assert head[-1] == "Problems"
    problems = [row[-1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert problems[0] is None
    assert "USCC" in str(problems[1])
    assert Operator.objects.count() == 0

    # fixed in the downloaded file and uploaded again: the problems column is ignored
    ws.cell(3, head.index("USCC") + 1, valid_uscc(5001))
    buf = io.BytesIO()
    wb.save(buf)
    retry = _page_upload(client, buf.getvalue(), organization=str(org.pk))
    assert retry.status == ImportStatus.VALID, retry.errors
    client.post(f"/reports/imports/{retry.pk}/commit/")
    assert Operator.objects.count() == 2


def test_problems_file_of_someone_elses_run_is_404(client, manager, other_manager, org):
    client.force_login(manager)
    run = _page_upload(client, xlsx({"operators": [["name_zh", "province"], ["某", "火星"]]}))
    client.force_login(other_manager)

    assert client.get(f"/reports/imports/{run.pk}/problems/").status_code == 404


def test_same_file_twice_says_nothing_to_import(client, manager, org):
    client.force_login(manager)
    content = xlsx(portfolio_sheets(2))
    first = _page_upload(client, content)
    client.post(f"/reports/imports/{first.pk}/commit/")
    assert Operator.objects.count() == 2

    second = _page_upload(client, content)
    page = client.get(f"/reports/imports/{second.pk}/").content.decode()

    assert second.status == ImportStatus.VALID
    assert 'data-testid="import-nothing"' in page
    assert 'data-testid="import-commit"' not in page
    # a commit anyway (an old tab) says nothing changed, not "Imported."
    response = client.post(f"/reports/imports/{second.pk}/commit/", follow=True)
    text = response.content.decode()
    assert "Nothing to import" in text
    assert "Imported." not in text
    assert Operator.objects.count() == 2
