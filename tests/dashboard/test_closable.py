"""Every compliance item can be closed where it is shown: people, pre-approvals and ICP
licences are editable from their pages, licences have annual reports with receipts, and a
new operator gets a setup checklist instead of "no compliance items"."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from compliance import tracking
from compliance.models import ComplianceItem
from compliance.types import OPEN_STATUSES
from core import pii
from dashboard.selectors import SetupCounts, is_set_up, setup_steps
from documents.models import Document, LicenceAnnualReport
from documents.selectors import operator_checklist
from miniprograms.models import IcpLicence, PreApproval, ResponsiblePerson
from tests.factories import (
    DocumentFactory,
    DomainFactory,
    FilingFactory,
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


def _today() -> datetime.date:
    return timezone.localdate()


def _open(rule: str, subject_id: int) -> list[ComplianceItem]:
    tracking.flush()
    return list(
        ComplianceItem.objects.filter(
            rule=rule, subject_id=subject_id, closed_at__isnull=True, status__in=OPEN_STATUSES
        )
    )


def _open_rows_on_page(body: str, rule: str) -> list[str]:
    """The page's compliance-item rows of `rule` that are due soon or overdue."""
    rows = body.split('<tr data-testid="compliance-item"')[1:]
    return [
        row
        for row in rows
        if f'data-rule="{rule}"' in row.split(">")[0]
        and (
            "status-due_soon" in row.split("</tr>")[0] or "status-overdue" in row.split("</tr>")[0]
        )
    ]


def _person_data(person: ResponsiblePerson, **changes) -> dict:
    data = {
        "role": person.role,
        "name": person.name,
        "id_type": person.id_type,
        "id_number": "",
        "id_expires_on": person.id_expires_on.isoformat() if person.id_expires_on else "",
        "mobile": person.mobile,
        "email": person.email,
        "emergency_contact": person.emergency_contact,
        "miniprogram": person.miniprogram_id or "",
        "domain": person.domain_id or "",
    }
    data.update(changes)
    return data


# --- responsible persons ---------------------------------------------------------------------


def test_renewing_a_person_id_closes_the_expiry_item(client_for, editor, operator):
    person = PersonFactory(operator=operator, id_expires_on=_today() + datetime.timedelta(10))
    assert len(_open("person_id_expiry", person.pk)) == 1
    stored_number = person.id_number_encrypted
    url = reverse("dashboard:person_edit", args=[operator.pk, person.pk])

    form = client_for(editor).get(url)
    assert form.status_code == 200
    body = form.content.decode()
    plain = pii.decrypt(stored_number)
    assert plain not in body  # never shown unmasked, not even as the field's value
    assert person.id_number_masked in body

    renewed = _today() + datetime.timedelta(days=3650)
    response = client_for(editor).post(url, _person_data(person, id_expires_on=renewed.isoformat()))

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:operator_detail", args=[operator.pk])
    person.refresh_from_db()
    assert person.id_expires_on == renewed
    assert person.id_number_encrypted == stored_number  # blank keeps the number
    assert _open("person_id_expiry", person.pk) == []
    page = client_for(editor).get(reverse("dashboard:operator_detail", args=[operator.pk]))
    assert _open_rows_on_page(page.content.decode(), "person_id_expiry") == []


def test_a_new_id_number_is_validated_encrypted_and_audited(client_for, editor, operator, caplog):
    person = PersonFactory(operator=operator)
    url = reverse("dashboard:person_edit", args=[operator.pk, person.pk])
    before = (person.id_number_encrypted, person.id_number_hash)

    bad = client_for(editor).post(url, _person_data(person, id_number="110105194912310022"))
    assert bad.status_code == 200
    assert bad.context["form"].errors["id_number"]
    assert bad.context["form"]["name"].value() == person.name  # data kept
    person.refresh_from_db()
    assert (person.id_number_encrypted, person.id_number_hash) == before

    new_number = valid_ric(4242)
    editor_client = client_for(editor)
    start = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with caplog.at_level("INFO", logger="icpfiling.audit"):
        ok = editor_client.post(url, _person_data(person, id_number=new_number))
    assert ok.status_code == 302
    person.refresh_from_db()
    assert person.reveal_id_number() == new_number
    assert person.id_number_hash == pii.blind_index(new_number)
    # Who replaced the number is in the audit log; the number itself is nowhere.
    [entry] = AuditEntry.objects.filter(pk__gt=start)
    assert (entry.action, entry.actor, entry.object_pk) == (
        AuditEntry.Action.UPDATE,
        editor,
        str(person.pk),
    )
    assert entry.changes["id_number_encrypted"] == ["***", "***"]
    assert new_number not in str(entry.changes)
    assert new_number not in caplog.text


def test_person_edit_other_tenant_is_404_and_viewer_403(
    client_for, viewer, editor, operator, other_operator
):
    mine = PersonFactory(operator=operator, name="本家")
    theirs = PersonFactory(operator=other_operator, name="别家")
    other_url = reverse("dashboard:person_edit", args=[other_operator.pk, theirs.pk])
    mixed_url = reverse("dashboard:person_edit", args=[operator.pk, theirs.pk])
    assert client_for(editor).get(other_url).status_code == 404
    assert client_for(editor).post(mixed_url, _person_data(theirs, name="改")).status_code == 404

    url = reverse("dashboard:person_edit", args=[operator.pk, mine.pk])
    assert client_for(viewer).post(url, _person_data(mine, name="改名")).status_code == 403
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.name, theirs.name) == ("本家", "别家")


def test_edit_links_on_operator_and_service_pages(client_for, editor, viewer, operator):
    mp = MiniProgramFactory(operator=operator)
    person = PersonFactory(operator=operator, role="service", miniprogram=mp)
    edit_url = reverse("dashboard:person_edit", args=[operator.pk, person.pk])
    add_url = reverse("dashboard:person_create", args=[operator.pk]) + f"?miniprogram={mp.pk}"

    op_page = client_for(editor).get(reverse("dashboard:operator_detail", args=[operator.pk]))
    mp_page = client_for(editor).get(reverse("dashboard:miniprogram_detail", args=[mp.pk]))
    assert edit_url in op_page.content.decode()
    assert edit_url in mp_page.content.decode()
    assert add_url in mp_page.content.decode()

    read_only = client_for(viewer).get(reverse("dashboard:miniprogram_detail", args=[mp.pk]))
    assert edit_url not in read_only.content.decode()
    assert "add-service-person" not in read_only.content.decode()


def test_add_service_person_preselects_the_service(client_for, editor, operator):
    dom = DomainFactory(operator=operator)
    url = reverse("dashboard:person_create", args=[operator.pk])
    form = client_for(editor).get(url + f"?domain={dom.pk}").context["form"]
    assert form["role"].value() == "service"
    assert form["domain"].value() == dom.pk

    page = client_for(editor).get(reverse("dashboard:domain_detail", args=[dom.pk]))
    assert f"{url}?domain={dom.pk}" in page.content.decode()


# --- pre-approvals ---------------------------------------------------------------------------


def test_preapproval_renewal_closes_its_expiry_item(client_for, editor, operator):
    pa = PreApprovalFactory(operator=operator, expires_on=_today() + datetime.timedelta(5))
    assert len(_open("preapproval_expiry", pa.pk)) == 1
    url = reverse("dashboard:preapproval_edit", args=[pa.pk])
    page = client_for(editor).get(reverse("dashboard:operator_detail", args=[operator.pk]))
    assert url in page.content.decode()

    renewed = _today() + datetime.timedelta(days=1500)
    data = {
        "category": pa.category,
        "authority": pa.authority,
        "licence_number": "粤网信前审〔2026〕9号",
        "expires_on": renewed.isoformat(),
    }
    assert client_for(editor).post(url, data).status_code == 302

    pa.refresh_from_db()
    assert (pa.expires_on, pa.licence_number) == (renewed, "粤网信前审〔2026〕9号")
    assert _open("preapproval_expiry", pa.pk) == []


def test_preapproval_edit_refusals_change_nothing(
    client_for, editor, viewer, operator, other_operator
):
    theirs = PreApprovalFactory(operator=other_operator, category="新闻")
    mine = PreApprovalFactory(operator=operator, category="出版")
    data = {"category": "改", "expires_on": "2040-01-01"}
    assert (
        client_for(editor)
        .post(reverse("dashboard:preapproval_edit", args=[theirs.pk]), data)
        .status_code
        == 404
    )
    assert (
        client_for(viewer)
        .post(reverse("dashboard:preapproval_edit", args=[mine.pk]), data)
        .status_code
        == 403
    )
    assert sorted(PreApproval.objects.values_list("category", flat=True)) == ["出版", "新闻"]


def test_preapproval_edit_refuses_another_operators_service(client_for, editor, operator):
    pa = PreApprovalFactory(operator=operator)
    foreign = MiniProgramFactory(operator=OperatorFactory(organization=operator.organization))
    response = client_for(editor).post(
        reverse("dashboard:preapproval_edit", args=[pa.pk]),
        {"category": pa.category, "miniprogram": foreign.pk},
    )
    assert response.status_code == 200  # not offered: the form refuses the choice
    pa.refresh_from_db()
    assert pa.miniprogram_id is None


# --- ICP licences ----------------------------------------------------------------------------


def test_licence_create_edit_and_list(client_for, editor, operator):
    c = client_for(editor)
    create = reverse("dashboard:licence_create", args=[operator.pk])
    bad = c.post(create, {"number": "粤ICP备2024286477号", "scope": "B25"})
    assert bad.status_code == 200
    assert "not a licence number" in bad.context["form"].errors["number"][0]
    assert bad.context["form"]["scope"].value() == "B25"
    assert not IcpLicence.objects.exists()

    response = c.post(
        create, {"number": "粤B2-20090059", "issued_on": "2024-03-01", "expires_on": "2029-03-01"}
    )
    licence = IcpLicence.objects.get()
    assert response["Location"] == reverse("dashboard:licence_detail", args=[licence.pk])
    assert licence.operator_id == operator.pk

    listing = c.get(reverse("dashboard:licence_list") + f"?operator={operator.pk}")
    assert "粤B2-20090059" in listing.content.decode()
    detail = c.get(reverse("dashboard:licence_detail", args=[licence.pk]))
    assert reverse("dashboard:licence_edit", args=[licence.pk]) in detail.content.decode()


def test_licence_renewal_closes_the_renewal_item(client_for, editor, operator):
    licence = IcpLicenceFactory(
        operator=operator,
        issued_on=_today() - datetime.timedelta(days=5 * 365 - 30),
        expires_on=_today() + datetime.timedelta(days=30),
    )
    assert len(_open("licence_renewal", licence.pk)) == 1
    renewed = _today() + datetime.timedelta(days=5 * 365)
    data = {
        "number": licence.number,
        "issued_on": _today().isoformat(),
        "expires_on": renewed.isoformat(),
    }
    response = client_for(editor).post(reverse("dashboard:licence_edit", args=[licence.pk]), data)
    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.expires_on == renewed
    assert _open("licence_renewal", licence.pk) == []


def test_licence_edit_refuses_dates_in_the_wrong_order(client_for, editor, operator):
    licence = IcpLicenceFactory(operator=operator)
    before = licence.expires_on
    data = {"number": licence.number, "issued_on": "2030-01-01", "expires_on": "2029-01-01"}
    response = client_for(editor).post(reverse("dashboard:licence_edit", args=[licence.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["expires_on"]
    licence.refresh_from_db()
    assert licence.expires_on == before


def test_licence_pages_are_scoped_and_read_only_for_viewers(
    client_for, editor, viewer, operator, other_operator
):
    theirs = IcpLicenceFactory(operator=other_operator, number="粤B2-20090001")
    mine = IcpLicenceFactory(operator=operator, number="粤B2-20090002")
    for name in ("licence_detail", "licence_edit", "licence_annual_report"):
        assert (
            client_for(editor).get(reverse(f"dashboard:{name}", args=[theirs.pk])).status_code
            == 404
        )
    listing = client_for(editor).get(reverse("dashboard:licence_list")).content.decode()
    assert "粤B2-20090002" in listing
    assert "粤B2-20090001" not in listing
    assert (
        client_for(editor)
        .get(reverse("dashboard:licence_list") + f"?operator={other_operator.pk}")
        .status_code
        == 404
    )
    assert (
        client_for(editor)
        .get(reverse("dashboard:licence_create", args=[other_operator.pk]))
        .status_code
        == 404
    )

    v = client_for(viewer)
    detail = v.get(reverse("dashboard:licence_detail", args=[mine.pk]))
    assert detail.status_code == 200
    assert "record-annual-report" not in detail.content.decode()
    data = {"number": "粤B2-20090003"}
    assert v.post(reverse("dashboard:licence_edit", args=[mine.pk]), data).status_code == 403
    assert v.post(reverse("dashboard:licence_create", args=[operator.pk]), data).status_code == 403
    mine.refresh_from_db()
    assert mine.number == "粤B2-20090002"
    assert IcpLicence.objects.count() == 2


def _overdue_report_licence(operator) -> IcpLicence:
    """A licence valid for years whose last report is two years old (overdue after March)."""
    year = _today().year
    return IcpLicenceFactory(
        operator=operator,
        issued_on=datetime.date(year - 3, 1, 10),
        expires_on=datetime.date(year + 2, 1, 10),
        last_annual_report_year=year - 2,
    )


def test_recording_an_annual_report_with_receipt_closes_the_item(client_for, editor, operator):
    licence = _overdue_report_licence(operator)
    opened = _open("licence_annual_report", licence.pk)
    assert len(opened) == 1
    year = _today().year - 1
    url = reverse("dashboard:licence_annual_report", args=[licence.pk])
    form_page = client_for(editor).get(url).content.decode()
    assert 'enctype="multipart/form-data"' in form_page

    receipt = SimpleUploadedFile("回执.pdf", PDF, content_type="application/pdf")
    response = client_for(editor).post(
        url, {"year": year, "filed_on": _today().isoformat(), "receipt": receipt, "note": "补报"}
    )

    assert response.status_code == 302
    report = LicenceAnnualReport.objects.get()
    assert (report.licence_id, report.year, report.note) == (licence.pk, year, "补报")
    assert report.receipt is not None
    assert report.receipt.operator_id == operator.pk
    assert report.receipt.original_name == "回执.pdf"
    licence.refresh_from_db()
    assert licence.last_annual_report_year == year
    assert _open("licence_annual_report", licence.pk) == []
    detail = client_for(editor).get(reverse("dashboard:licence_detail", args=[licence.pk]))
    assert reverse("documents:download", args=[report.receipt_id]) in detail.content.decode()


def test_annual_report_refusals_write_nothing(client_for, editor, viewer, operator):
    licence = _overdue_report_licence(operator)
    url = reverse("dashboard:licence_annual_report", args=[licence.pk])
    year = _today().year - 1

    fake = SimpleUploadedFile("receipt.pdf", b"<html>", content_type="application/pdf")
    bad = client_for(editor).post(
        url, {"year": year, "filed_on": _today().isoformat(), "receipt": fake}
    )
    assert bad.status_code == 200
    assert bad.context["form"].errors["receipt"]
    assert bad.context["form"]["year"].value() == str(year)

    future = client_for(editor).post(
        url,
        {
            "year": _today().year,
            "filed_on": _today().isoformat(),
            "receipt": SimpleUploadedFile("r.pdf", PDF),
        },
    )
    assert future.context["form"].errors["year"]

    receipt = SimpleUploadedFile("r.pdf", PDF, content_type="application/pdf")
    denied = client_for(viewer).post(
        url, {"year": year, "filed_on": _today().isoformat(), "receipt": receipt}
    )
    assert denied.status_code == 403
    assert not LicenceAnnualReport.objects.exists()
    assert not Document.objects.exists()
    licence.refresh_from_db()
    assert licence.last_annual_report_year == _today().year - 2


def test_a_year_is_recorded_once(client_for, editor, operator):
    licence = _overdue_report_licence(operator)
    year = _today().year - 1
    url = reverse("dashboard:licence_annual_report", args=[licence.pk])

    def post():
        receipt = SimpleUploadedFile("r.pdf", PDF, content_type="application/pdf")
        return client_for(editor).post(
            url, {"year": year, "filed_on": _today().isoformat(), "receipt": receipt}
        )

    assert post().status_code == 302
    again = post()
    assert again.status_code == 200
    assert "already recorded" in again.context["form"].errors["year"][0]
    assert LicenceAnnualReport.objects.count() == 1
    assert Document.objects.count() == 1


# --- setup checklist -------------------------------------------------------------------------


def test_a_new_operator_shows_the_setup_checklist_not_no_items(client_for, editor, org):
    op = OperatorFactory(organization=org)
    body = (
        client_for(editor).get(reverse("dashboard:operator_detail", args=[op.pk])).content.decode()
    )
    assert "No compliance items." not in body
    assert 'data-testid="setup-checklist"' in body
    for step in ("entity_person", "service", "materials", "filing"):
        assert f'data-step="{step}" data-done="false"' in body
    assert reverse("dashboard:person_create", args=[op.pk]) + "?role=entity" in body
    assert reverse("dashboard:filing_create") + f"?operator={op.pk}" in body


def test_a_set_up_operator_shows_no_checklist(client_for, editor, org):
    op = OperatorFactory(organization=org)
    PersonFactory(operator=op, role="entity", id_expires_on=None)
    mp = MiniProgramFactory(operator=op)
    FilingFactory(miniprogram=mp)
    for row in operator_checklist(operator=op):  # every material the checklist asks for
        service = row.requirement.service
        DocumentFactory(
            operator=op,
            doc_type=row.requirement.doc_type,
            miniprogram=mp if service is not None else None,
            expires_on=None,
        )
    assert not any(row.is_gap for row in operator_checklist(operator=op))

    url = reverse("dashboard:operator_detail", args=[op.pk])
    body = client_for(editor).get(url).content.decode()
    assert 'data-testid="setup-checklist"' not in body
    assert 'data-testid="setup-pending"' not in body


def test_setup_steps_over_counts():
    nothing = setup_steps(SetupCounts(entity_persons=0, services=0, material_gaps=3, filings=0))
    assert [(s.key, s.done) for s in nothing] == [
        ("entity_person", False),
        ("service", False),
        ("materials", False),
        ("filing", False),
    ]
    assert not is_set_up(nothing)
    half = setup_steps(SetupCounts(entity_persons=1, services=2, material_gaps=1, filings=0))
    assert [s.done for s in half] == [True, True, False, False]
    done = setup_steps(SetupCounts(entity_persons=1, services=1, material_gaps=0, filings=1))
    assert is_set_up(done)
