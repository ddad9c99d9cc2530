"""Exports stream plain row values: flat memory, labels translated once, cells as on the pages."""

from __future__ import annotations

import csv
import io
from unittest import mock

import pytest
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from filings.models import FilingApplication, FilingStatus
from miniprograms.models import Domain
from tests.factories import (
    DomainFactory,
    FilingFactory,
    MiniProgramFactory,
    OperatorFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

RESOURCES = ["operators", "miniprograms", "domains", "filings", "persons"]


def _register(org, n: int) -> None:
    statuses = [FilingStatus.APPROVED, FilingStatus.WITHDRAWN]
    for i in range(n):
        op = OperatorFactory(organization=org)
        mp = MiniProgramFactory(operator=op)
        dom = DomainFactory(operator=op)
        PersonFactory(operator=op)
        FilingFactory(miniprogram=mp, status=statuses[i % 2])
        FilingFactory(miniprogram=None, domain=dom, operator=op, status=FilingStatus.DRAFT)


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _csv(response) -> list[list[str]]:
    body = _body(response).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize("resource", RESOURCES)
def test_csv_export_is_a_streaming_response_case(api, manager, org, resource):
    _register(org, 2)

    response = api(manager).get(f"/api/v1/exports/{resource}.csv")

    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"].startswith(f'attachment; filename="{resource}-')
    assert len(_csv(response)) > 1


@pytest.mark.parametrize("resource", RESOURCES)
def test_xlsx_export_is_streamed_from_a_file_case(api, manager, org, resource):
    _register(org, 2)

    response = api(manager).get(f"/api/v1/exports/{resource}.xlsx")

    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert response["Content-Disposition"].startswith(f'attachment; filename="{resource}-')
    ws = load_workbook(io.BytesIO(_body(response))).worksheets[0]
    assert ws.max_row > 1


def _count_gettext(api, user, url: str) -> tuple[int, int]:
    """(gettext calls, rows) while one export is produced and read to the end."""
    trans = getattr(translation, "_trans")  # noqa: B009 - private: where lazy labels end up
    real = trans.gettext
    with mock.patch.object(trans, "gettext", side_effect=real) as spy:
        rows = _csv(api(user).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    return spy.call_count, len(rows)


@pytest.mark.parametrize("resource", RESOURCES)
def test_labels_are_translated_once_per_export_not_per_cell_case(api, manager, org, resource):
    url = f"/api/v1/exports/{resource}.csv"
    _register(org, 2)
    few, few_rows = _count_gettext(api, manager, url)

    _register(org, 18)
    many, many_rows = _count_gettext(api, manager, url)

    assert many_rows > few_rows
    assert many == few


@pytest.mark.parametrize("resource", RESOURCES)
def test_export_queries_do_not_grow_with_rows_case(api, manager, org, resource):
    url = f"/api/v1/exports/{resource}.csv"
    _register(org, 2)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            _csv(api(manager).get(url))
        return len(ctx.captured_queries)

    queries()  # warm per-process caches
    few = queries()
    _register(org, 18)
    assert queries() == few


def test_filing_cells_are_what_the_pages_show_in_chinese(api, manager, org):
    # given applications for a mini-program, an IDN domain and the entity alone
    op = OperatorFactory(organization=org)
    FilingFactory(miniprogram=MiniProgramFactory(operator=op), status=FilingStatus.APPROVED)
    idn = DomainFactory(operator=op, name="xn--fiqs8s.cn")
    FilingFactory(miniprogram=None, domain=idn, operator=op, status=FilingStatus.WITHDRAWN)
    FilingFactory(miniprogram=None, operator=op, status=FilingStatus.DRAFT)

    # when
    rows = _csv(api(manager).get("/api/v1/exports/filings.csv", HTTP_ACCEPT_LANGUAGE="zh-hans"))

    # then
    header, body = rows[0], rows[1:]
    with translation.override("zh-hans"):
        expected = {
            f.pk: [
                f.subject_name,
                str(f.get_kind_display()),
                str(f.get_channel_display()),
                str(f.get_status_display()),
            ]
            for f in FilingApplication.objects.all()
        }
        columns = [header.index(str(label)) for label in ("备案对象", "类型", "渠道", "状态")]
    got = {int(r[0]): [r[i] for i in columns] for r in body}
    assert got == expected
    assert "中国.cn" in {cells[0] for cells in got.values()}


def test_domain_cells_are_what_the_pages_show(api, manager, org):
    op = OperatorFactory(organization=org, name_zh="鹏程网络科技有限公司")
    DomainFactory(operator=op, name="xn--fiqs8s.cn", registrant_name="别的公司")
    DomainFactory(operator=op, registrant_name=op.name_zh)

    rows = _csv(api(manager).get("/api/v1/exports/domains.csv"))

    header, body = rows[0], rows[1:]
    got = {
        int(r[0]): (r[header.index("Domain")], r[header.index("Registrant differs")]) for r in body
    }
    expected = {
        d.pk: (d.display_name, "1" if d.registrant_mismatch else "0")
        for d in Domain.objects.select_related("operator")
    }
    assert got == expected
    assert sorted(v[1] for v in got.values()) == ["0", "1"]
