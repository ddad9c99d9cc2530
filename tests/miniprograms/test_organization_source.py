"""`organization` has one source of truth: the operator's (miniprograms.ownership).

Every service path leaves copies that agree with their operator; an operator never changes
organization; `check_integrity` finds a copy planted around `save()`; and the scope, the
organization switcher and the exports all choose rows by the operator's organization.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role
from documents.licence_reports import annual_report_record
from documents.models import DocType, Document
from documents.services import document_upload
from filings.models import FilingApplication, FilingChannel
from filings.services import filing_create
from miniprograms import services
from miniprograms.integrity import Mismatch, organization_mismatches
from miniprograms.models import Domain, MiniProgram, Operator, PersonRole, Platform
from miniprograms.ownership import derived_organization_models, organization_lookup
from miniprograms.selectors import domain_list_for_user
from miniprograms.services.record import record_state_change
from monitoring.display.services import display_check_request
from monitoring.models.verify import VerificationKind
from monitoring.notices.services import notice_record
from monitoring.verify.services import lookup_run, verification_record
from notifications.models import Notification, Reminder
from notifications.services import sweep_run_inline
from tests.factories import (
    DomainFactory,
    MembershipFactory,
    MiniProgramFactory,
    UserFactory,
    valid_ric,
    valid_uscc,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _derived_models() -> list[type[Model]]:
    """The concrete models (the abstract base has no `organization` field for mypy to see)."""
    return list(derived_organization_models())


def _organizations_by_model() -> dict[str, set[int]]:
    return {
        m._meta.label: set(m._default_manager.values_list("organization_id", flat=True))
        for m in _derived_models()
    }


def test_every_operator_owned_model_copies_its_organization():
    labels = {m._meta.label: m.organization_source for m in derived_organization_models()}
    assert labels == {
        "documents.Document": "operator",
        "documents.LicenceAnnualReport": "licence",
        "filings.FilingApplication": "operator",
        "miniprograms.Domain": "operator",
        "miniprograms.IcpLicence": "operator",
        "miniprograms.MiniProgram": "operator",
        "miniprograms.PreApproval": "operator",
        "miniprograms.RecordStateChange": "operator",
        "miniprograms.ResponsiblePerson": "operator",
        "monitoring.ProviderNotice": "operator",
        "monitoring.DisplayCheck": "domain",
        "notifications.Notification": "reminder",
        "notifications.Reminder": "operator",
        "monitoring.MiitLookup": "operator",
        "monitoring.ServiceVerification": "operator",
    }
    for model in _derived_models():
        assert model._meta.get_field("organization").editable is False, model


def test_no_row_disagrees_after_every_service_path(org, manager, settings, tmp_path):
    # given: an operator created and changed through the register's services
    op = services.operator_create(
        user=manager,
        organization_id=org.pk,
        province="440000",
        name_zh="深圳市一源科技有限公司",
        uscc=valid_uscc(7001),
    )
    op = services.operator_update(user=manager, operator=op, address="深圳市南山区")

    # when: every kind of operator-owned row is written through its service
    mp = services.miniprogram_create(
        user=manager,
        operator=op,
        name="一源小程序",
        platform=Platform.WECHAT,
        appid="wx0123456789abcdef",
        launch_date=datetime.date(2022, 6, 1),
    )
    services.miniprogram_update(user=manager, miniprogram=mp, name="一源小程序二")
    domain = services.domain_create(user=manager, operator=op, name="yiyuan.cn")
    services.domain_update(
        user=manager, domain=domain, site_name="一源", icp_number="粤ICP备2024000001号-1"
    )
    services.person_create(
        user=manager,
        operator=op,
        role=PersonRole.ENTITY,
        name="张三",
        id_number=valid_ric(7),
        mobile="13912345678",
    )
    services.preapproval_create(user=manager, operator=op, category="新闻")
    licence = services.licence_create(user=manager, operator=op, number="粤B2-20090059")
    annual_report_record(
        user=manager,
        licence=licence,
        year=timezone.localdate().year - 1,
        filed_on=timezone.localdate(),
        receipt=SimpleUploadedFile("receipt.pdf", PDF, content_type="application/pdf"),
    )
    filing_create(user=manager, operator=op, channel=FilingChannel.WECHAT, miniprogram=mp)
    document_upload(
        user=manager,
        operator=op,
        doc_type=DocType.BUSINESS_LICENCE,
        file=SimpleUploadedFile("licence.pdf", PDF, content_type="application/pdf"),
    )
    record_state_change(service=domain, to_state="filed", source="manual", actor=manager)
    notice_record(
        user=manager,
        service=domain,
        provider="tencent",
        received_at=timezone.now(),
        deadline_at=timezone.now() + datetime.timedelta(hours=24),
    )
    settings.MEDIA_ROOT = tmp_path
    verification_record(
        user=manager,
        service=Domain.objects.get(pk=domain.pk),
        kind=VerificationKind.MIIT_LOOKUP,
        screenshot=SimpleUploadedFile("miit.pdf", PDF, content_type="application/pdf"),
        verified_on=timezone.localdate(),
    )
    settings.MIIT_LOOKUP_BACKEND = "http"
    settings.MIIT_LOOKUP_URL = ""  # answered at once, as a failed lookup
    lookup_run(service_type="domain", service_id=domain.pk)
    display_check_request(user=manager, domain=domain)
    sweep_run_inline(as_of=datetime.date(2024, 3, 25))

    # then: one row of each kind exists, every copy names the operator's organization
    assert Reminder.objects.filter(operator=op).exists()
    assert Notification.objects.filter(user=manager).exists()
    assert organization_mismatches() == []
    assert _organizations_by_model() == {label: {org.pk} for label in _organizations_by_model()}
    assert all(_organizations_by_model().values())


def test_save_takes_the_organization_from_the_operator_not_the_caller(org, other_org, operator):
    mp = MiniProgram(
        organization=other_org,  # a caller's mistake
        operator=operator,
        name="错位",
        platform=Platform.WECHAT,
        appid="wx00000000000000aa",
    )
    mp.save()
    mp.refresh_from_db()
    assert mp.organization_id == org.pk


@pytest.mark.parametrize(
    "how",
    ["organization_kwarg_case", "organization_id_kwarg_case", "attribute_changed_case"],
)
def test_operator_update_refuses_to_change_organization(how, manager, org, other_org, operator):
    # given: an operator with a service in its organization; the manager may edit both orgs
    MembershipFactory(user=manager, organization=other_org, role=Role.MANAGER)
    mp = MiniProgramFactory(operator=operator)
    kwargs: dict = {"address": "新地址"}
    if how == "organization_kwarg_case":
        kwargs["organization"] = other_org
    elif how == "organization_id_kwarg_case":
        kwargs["organization_id"] = other_org.pk
    else:
        operator.organization = other_org

    # when
    with pytest.raises(ValidationError) as exc:
        services.operator_update(user=manager, operator=operator, **kwargs)

    # then: a clear message, and nothing changed
    assert "cannot move to another organization" in " ".join(exc.value.message_dict["organization"])
    stored = Operator.objects.get(pk=operator.pk)
    assert (stored.organization_id, stored.address) == (org.pk, "")
    assert MiniProgram.objects.get(pk=mp.pk).organization_id == org.pk


def test_operator_update_with_the_same_organization_is_allowed(manager, org, operator):
    op = services.operator_update(user=manager, operator=operator, organization=org, address="甲")
    assert Operator.objects.get(pk=op.pk).address == "甲"


def test_api_operator_patch_cannot_move_it(api, manager, org, other_org, operator):
    MembershipFactory(user=manager, organization=other_org, role=Role.MANAGER)
    response = api(manager).patch(
        f"/api/v1/operators/{operator.pk}/", {"organization": other_org.pk}, format="json"
    )
    assert response.status_code == 200
    assert Operator.objects.get(pk=operator.pk).organization_id == org.pk


def test_check_integrity_reports_a_row_planted_with_update(org, other_org, operator):
    # given: a domain whose copy was changed around save()
    domain = DomainFactory(operator=operator)
    MiniProgramFactory(operator=operator)
    Domain.objects.filter(pk=domain.pk).update(organization=other_org)
    out = io.StringIO()

    # when / then: reported, and the command fails
    with pytest.raises(CommandError, match="1 row"):
        call_command("check_integrity", stdout=out)
    assert f"miniprograms.Domain #{domain.pk}: organization {other_org.pk}" in out.getvalue()
    assert organization_mismatches() == [
        Mismatch("miniprograms.Domain", domain.pk, other_org.pk, org.pk)
    ]

    # and --repair puts it back from the operator
    call_command("check_integrity", "--repair", stdout=io.StringIO())
    assert Domain.objects.get(pk=domain.pk).organization_id == org.pk
    assert organization_mismatches() == []


def test_check_integrity_reports_a_notification_and_a_cross_org_assignment(
    org, other_org, operator, manager
):
    from tests.factories import make_notification

    note = make_notification(manager, operator)
    Notification.objects.filter(pk=note.pk).update(organization=other_org)
    stranger = MembershipFactory(organization=other_org, role=Role.VIEWER, limited_to_assigned=True)
    stranger.operators.add(operator)

    found = {
        (m.model, m.organization_id, m.expected_organization_id) for m in organization_mismatches()
    }

    assert found == {
        ("notifications.Notification", other_org.pk, org.pk),
        ("miniprograms.Operator_assigned_memberships", other_org.pk, org.pk),
    }


def test_clean_database_passes_check_integrity(operator):
    DomainFactory(operator=operator)
    out = io.StringIO()
    call_command("check_integrity", stdout=out)
    assert "agrees" in out.getvalue()


def test_lookup_reads_the_operators_organization():
    assert organization_lookup(Operator) == "organization_id"
    assert organization_lookup(Domain) == "operator__organization_id"
    assert organization_lookup(FilingApplication) == "operator__organization_id"
    assert organization_lookup(Document) == "operator__organization_id"
    assert organization_lookup(Notification) == "reminder__operator__organization_id"


def _export_names(client, org_id: int) -> set[str]:
    response = client.get(f"/reports/export/domains.xlsx?organization={org_id}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet is not None
    rows = sheet.iter_rows(values_only=True)
    return {value for row in rows for value in row if isinstance(value, str)}


def _switched_names(client, org_id: int) -> str:
    client.post(reverse("dashboard:switch_organization"), {"organization": str(org_id)})
    return client.get(reverse("dashboard:domain_list")).content.decode()


def test_scope_switcher_and_export_agree_on_a_disagreeing_copy(client, org, other_org, operator):
    # given: a user in both organizations; a domain of org's operator whose copy says other_org
    user = UserFactory()
    MembershipFactory(user=user, organization=org, role=Role.MANAGER)
    MembershipFactory(user=user, organization=other_org, role=Role.MANAGER)
    domain = DomainFactory(operator=operator, name="yizhi.cn")
    Domain.objects.filter(pk=domain.pk).update(organization=other_org)
    outsider = UserFactory()
    MembershipFactory(user=outsider, organization=other_org, role=Role.MANAGER)
    client.force_login(user)

    # when / then: all three place it in the operator's organization
    assert domain_list_for_user(user=outsider).filter(pk=domain.pk).exists() is False
    assert domain_list_for_user(user=user).filter(pk=domain.pk).exists() is True
    assert "yizhi.cn" in _switched_names(client, org.pk)
    assert "yizhi.cn" not in _switched_names(client, other_org.pk)
    assert "yizhi.cn" in _export_names(client, org.pk)
    assert "yizhi.cn" not in _export_names(client, other_org.pk)


def test_membership_operators_api_still_works(org, operator):
    membership = MembershipFactory(organization=org, role=Role.CLIENT, limited_to_assigned=True)
    membership.operators.set([operator])
    assert list(membership.operators.all()) == [operator]
    assert list(operator.assigned_memberships.all()) == [membership]
    assert Operator.objects.filter(assigned_memberships=membership).get() == operator
