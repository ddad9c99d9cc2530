"""/api/v1/licences/: scoped list/create/retrieve/update, and annual reports with receipts."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from compliance import tracking
from compliance.models import ComplianceItem
from compliance.types import OPEN_STATUSES
from documents.models import Document, LicenceAnnualReport
from miniprograms.models import IcpLicence
from tests.factories import IcpLicenceFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _receipt(content: bytes = PDF, name: str = "receipt.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _overdue(operator) -> IcpLicence:
    year = timezone.localdate().year
    return IcpLicenceFactory(
        operator=operator,
        issued_on=datetime.date(year - 3, 1, 10),
        expires_on=datetime.date(year + 2, 1, 10),
        last_annual_report_year=year - 2,
    )


def _open_report_items(licence) -> int:
    tracking.flush()
    return ComplianceItem.objects.filter(
        rule="licence_annual_report",
        subject_id=licence.pk,
        closed_at__isnull=True,
        status__in=OPEN_STATUSES,
    ).count()


def test_create_validates_the_number_and_the_operator(api, editor, operator, other_operator):
    c = api(editor)
    url = reverse("licence-list")
    bad = c.post(url, {"operator": operator.pk, "number": "粤ICP备2024286477号"}, format="json")
    assert bad.status_code == 400
    assert "number" in bad.json()
    theirs = c.post(url, {"operator": other_operator.pk, "number": "粤B2-20090059"}, format="json")
    assert theirs.status_code == 400
    assert "operator" in theirs.json()
    assert not IcpLicence.objects.exists()

    ok = c.post(
        url,
        {
            "operator": operator.pk,
            "number": "粤B2-20090059",
            "scope": "B25",
            "expires_on": "2029-03-01",
        },
        format="json",
    )
    assert ok.status_code == 201, ok.json()
    body = ok.json()
    assert (body["number"], body["operator"], body["last_annual_report_year"]) == (
        "粤B2-20090059",
        operator.pk,
        None,
    )
    assert c.get(reverse("licence-detail", args=[body["id"]])).json()["scope"] == "B25"


def test_renewal_by_patch_and_refusals(api, editor, viewer, operator, other_operator):
    mine = IcpLicenceFactory(operator=operator)
    theirs = IcpLicenceFactory(operator=other_operator)
    renewed = {"issued_on": "2029-03-01", "expires_on": "2034-03-01"}

    assert (
        api(editor)
        .patch(reverse("licence-detail", args=[theirs.pk]), renewed, format="json")
        .status_code
        == 404
    )
    assert (
        api(viewer)
        .patch(reverse("licence-detail", args=[mine.pk]), renewed, format="json")
        .status_code
        == 403
    )
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.expires_on == theirs.expires_on == datetime.date(2029, 3, 1)

    wrong_order = {"issued_on": "2034-03-01", "expires_on": "2029-03-01"}
    response = api(editor).patch(
        reverse("licence-detail", args=[mine.pk]), wrong_order, format="json"
    )
    assert response.status_code == 400
    assert "expires_on" in response.json()

    response = api(editor).patch(reverse("licence-detail", args=[mine.pk]), renewed, format="json")
    assert response.status_code == 200
    mine.refresh_from_db()
    assert mine.expires_on == datetime.date(2034, 3, 1)


def test_last_report_year_is_read_only(api, editor, operator):
    licence = IcpLicenceFactory(operator=operator, last_annual_report_year=2020)
    api(editor).patch(
        reverse("licence-detail", args=[licence.pk]),
        {"last_annual_report_year": 2030},
        format="json",
    )
    licence.refresh_from_db()
    assert licence.last_annual_report_year == 2020


def test_annual_report_upload_closes_the_overdue_item(api, editor, operator):
    licence = _overdue(operator)
    assert _open_report_items(licence) == 1
    year = timezone.localdate().year - 1
    url = reverse("licence-annual-reports", args=[licence.pk])

    response = api(editor).post(
        url,
        {"year": year, "filed_on": timezone.localdate().isoformat(), "receipt": _receipt()},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["year"], body["licence"], body["receipt_name"]) == (
        year,
        licence.pk,
        "receipt.pdf",
    )
    assert Document.objects.get(pk=body["receipt"]).operator_id == operator.pk
    licence.refresh_from_db()
    assert licence.last_annual_report_year == year
    assert _open_report_items(licence) == 0
    listed = api(editor).get(url).json()
    assert [r["year"] for r in listed] == [year]


def test_annual_report_refusals(api, editor, viewer, operator, other_operator):
    mine = _overdue(operator)
    theirs = _overdue(other_operator)
    year = timezone.localdate().year - 1
    data = {"year": year, "filed_on": timezone.localdate().isoformat()}

    missing_receipt = api(editor).post(
        reverse("licence-annual-reports", args=[mine.pk]), data, format="multipart"
    )
    assert missing_receipt.status_code == 400
    assert "receipt" in missing_receipt.json()
    not_pdf = api(editor).post(
        reverse("licence-annual-reports", args=[mine.pk]),
        {**data, "receipt": _receipt(b"MZ\x90\x00")},
        format="multipart",
    )
    assert not_pdf.status_code == 400
    assert "receipt" in not_pdf.json()
    other = api(editor).post(
        reverse("licence-annual-reports", args=[theirs.pk]),
        {**data, "receipt": _receipt()},
        format="multipart",
    )
    assert other.status_code == 404
    read_only = api(viewer).post(
        reverse("licence-annual-reports", args=[mine.pk]),
        {**data, "receipt": _receipt()},
        format="multipart",
    )
    assert read_only.status_code == 403

    assert not LicenceAnnualReport.objects.exists()
    assert not Document.objects.exists()
    mine.refresh_from_db()
    assert mine.last_annual_report_year == year - 1
