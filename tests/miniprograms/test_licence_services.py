"""Services that renew what reminders are about: licences, pre-approvals, people's IDs, and
licence annual reports (documents.licence_reports)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core import pii
from core.exceptions import PermissionDeniedError
from documents.licence_reports import annual_report_record
from documents.models import Document, LicenceAnnualReport
from miniprograms import services
from tests.factories import (
    IcpLicenceFactory,
    MiniProgramFactory,
    OperatorFactory,
    PersonFactory,
    PreApprovalFactory,
    valid_ric,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _receipt() -> SimpleUploadedFile:
    return SimpleUploadedFile("receipt.pdf", PDF, content_type="application/pdf")


def test_licence_update_normalises_and_checks_the_number(editor, operator):
    licence = IcpLicenceFactory(operator=operator, number="粤B2-20090059")
    with pytest.raises(ValidationError) as refused:
        services.licence_update(user=editor, licence=licence, number="粤ICP备2024286477号")
    assert "number" in refused.value.message_dict
    licence.refresh_from_db()
    assert licence.number == "粤B2-20090059"

    services.licence_update(user=editor, licence=licence, number=" 粤b2-20090060 ")
    licence.refresh_from_db()
    assert licence.number == "粤B2-20090060"


def test_licence_update_refuses_read_only_users(viewer, operator):
    licence = IcpLicenceFactory(operator=operator)
    with pytest.raises(PermissionDeniedError):
        services.licence_update(user=viewer, licence=licence, expires_on=datetime.date(2040, 1, 1))
    licence.refresh_from_db()
    assert licence.expires_on == datetime.date(2029, 3, 1)


def test_the_latest_reported_year_counts(editor, operator):
    licence = IcpLicenceFactory(operator=operator, last_annual_report_year=2024)
    services.licence_annual_report_filed(user=editor, licence=licence, year=2022)
    licence.refresh_from_db()
    assert licence.last_annual_report_year == 2024
    services.licence_annual_report_filed(user=editor, licence=licence, year=2025)
    licence.refresh_from_db()
    assert licence.last_annual_report_year == 2025


def test_preapproval_update_refuses_another_operators_service(editor, operator, org):
    pa = PreApprovalFactory(operator=operator)
    foreign = MiniProgramFactory(operator=OperatorFactory(organization=org))
    with pytest.raises(ValidationError) as refused:
        services.preapproval_update(user=editor, preapproval=pa, miniprogram=foreign)
    assert "miniprogram" in refused.value.message_dict
    pa.refresh_from_db()
    assert pa.miniprogram_id is None

    services.preapproval_update(user=editor, preapproval=pa, expires_on=datetime.date(2035, 1, 1))
    pa.refresh_from_db()
    assert pa.expires_on == datetime.date(2035, 1, 1)


def test_person_update_blank_number_keeps_it_a_new_one_is_reindexed(editor, operator):
    person = PersonFactory(operator=operator)
    before = (person.id_number_encrypted, person.id_number_hash)
    services.person_update(
        user=editor, person=person, id_number="", id_expires_on=datetime.date(2036, 1, 1)
    )
    person.refresh_from_db()
    assert (person.id_number_encrypted, person.id_number_hash) == before

    number = valid_ric(9191)
    services.person_update(user=editor, person=person, id_number=number)
    person.refresh_from_db()
    assert person.reveal_id_number() == number
    assert person.id_number_hash == pii.blind_index(number)


@pytest.mark.parametrize(
    ("year", "filed_on", "field"),
    [
        (2019, datetime.date(2020, 2, 1), "year"),  # before the licence was issued
        (2024, datetime.date(2024, 12, 1), "filed_on"),  # filed within the year it covers
        (2024, datetime.date(2099, 1, 1), "filed_on"),  # in the future
        (2099, datetime.date(2025, 1, 1), "year"),  # not a past year
    ],
)
def test_annual_report_dates_are_checked(editor, operator, year, filed_on, field):
    licence = IcpLicenceFactory(
        operator=operator, issued_on=datetime.date(2021, 5, 1), expires_on=datetime.date(2031, 5, 1)
    )
    with pytest.raises(ValidationError) as refused:
        annual_report_record(
            user=editor, licence=licence, year=year, filed_on=filed_on, receipt=_receipt()
        )
    assert field in refused.value.message_dict
    assert not LicenceAnnualReport.objects.exists()
    assert not Document.objects.exists()


def test_annual_report_keeps_an_older_year_without_moving_back(editor, operator):
    licence = IcpLicenceFactory(
        operator=operator,
        issued_on=datetime.date(2020, 5, 1),
        expires_on=datetime.date(2031, 5, 1),
        last_annual_report_year=2024,
    )
    report = annual_report_record(
        user=editor,
        licence=licence,
        year=2021,
        filed_on=datetime.date(2022, 3, 1),
        receipt=_receipt(),
        note=" late copy ",
    )
    assert (report.year, report.note) == (2021, "late copy")
    assert report.receipt is not None
    assert report.receipt.doc_type == "other"
    licence.refresh_from_db()
    assert licence.last_annual_report_year == 2024
