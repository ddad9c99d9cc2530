"""Admin writes go through the services: same validation, role checks and history."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from documents.models import Document
from filings.models import FilingStatusChange
from miniprograms.models import Operator, ResponsiblePerson
from notifications.models import ReminderLadder, WebhookEndpoint
from tests.factories import (
    FilingFactory,
    IcpLicenceFactory,
    MembershipFactory,
    MiniProgramFactory,
    PersonFactory,
    make_ready,
    make_staff,
    valid_ric,
    valid_uscc,
)

pytestmark = pytest.mark.django_db

WECOM = "wecombot://0123456789abcdef0123456789abcdef"


@pytest.fixture
def staff_manager(org):
    return make_staff(org, Role.MANAGER)


@pytest.fixture
def staff_viewer(org):
    return make_staff(org, Role.VIEWER)


def _operator_post(op: Operator, **changes) -> dict:
    data = {
        "name_zh": op.name_zh,
        "name_en": op.name_en,
        "entity_type": op.entity_type,
        "uscc": op.uscc,
        "province": op.province_id,
        "address": op.address,
        "entity_number": op.entity_number,
    }
    return {**data, **changes}


def _messages(client, response) -> str:
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def test_invalid_operator_change_is_refused_with_the_service_message(
    client, staff_manager, operator
):
    # given
    client.force_login(staff_manager)
    url = reverse("admin:miniprograms_operator_change", args=[operator.pk])
    before = Operator.objects.filter(pk=operator.pk).values().get()
    # when: an individual cannot carry a USCC (operator_update's rule, not a form rule)
    response = client.post(url, _operator_post(operator, entity_type="5", name_en="X"))
    # then
    assert response["Location"] == url
    assert "Individuals file with their ID" in _messages(client, response)
    assert Operator.objects.filter(pk=operator.pk).values().get() == before


def test_valid_operator_change_is_saved_by_the_service(client, staff_manager, operator):
    client.force_login(staff_manager)
    url = reverse("admin:miniprograms_operator_change", args=[operator.pk])

    response = client.post(url, _operator_post(operator, name_en="Renamed Ltd"))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:miniprograms_operator_changelist")
    operator.refresh_from_db()
    assert operator.name_en == "Renamed Ltd"


def test_viewer_staff_cannot_change_through_the_admin(client, staff_viewer, operator):
    # Model permissions say yes; the membership role (the service's check) says no.
    client.force_login(staff_viewer)
    url = reverse("admin:miniprograms_operator_change", args=[operator.pk])
    before = Operator.objects.filter(pk=operator.pk).values().get()

    response = client.post(url, _operator_post(operator, name_en="Changed"))

    assert "read-only access to this operator" in _messages(client, response)
    assert Operator.objects.filter(pk=operator.pk).values().get() == before


def test_admin_add_operator_goes_through_the_service(client, staff_viewer, org, operator):
    client.force_login(staff_viewer)
    data = {
        "organization": org.pk,
        "name_zh": "观众新增有限公司",
        "name_en": "",
        "entity_type": "4",
        "uscc": valid_uscc(9001),
        "province": "440000",
        "address": "",
        "entity_number": "",
    }
    count = Operator.objects.count()

    response = client.post(reverse("admin:miniprograms_operator_add"), data)

    assert "Only managers and editors of the organization can add operators" in _messages(
        client, response
    )
    assert Operator.objects.count() == count


def test_filing_kind_change_after_submission_is_refused(client, staff_manager, operator):
    # given: an application already with the provider
    filing = FilingFactory(operator=operator, status="provider_review")
    client.force_login(staff_manager)
    url = reverse("admin:filings_filingapplication_change", args=[filing.pk])
    data = {
        "kind": "change",
        "channel": filing.channel,
        "reference": "R-1",
        "notes": "",
        "planned_for": "",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
    }
    # when
    response = client.post(url, data)
    # then
    assert "Only a draft can change its kind or channel" in _messages(client, response)
    filing.refresh_from_db()
    assert (filing.kind, filing.reference) != ("change", "R-1")


def test_admin_action_moves_through_the_workflow_and_writes_history(
    client, staff_manager, operator
):
    filing = make_ready(FilingFactory(miniprogram=MiniProgramFactory(operator=operator)))
    client.force_login(staff_manager)

    response = client.post(
        reverse("admin:filings_filingapplication_changelist"),
        {"action": "submit_to_provider", "_selected_action": [filing.pk]},
    )

    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.status == "provider_review"
    change = FilingStatusChange.objects.get(filing=filing)
    assert (change.from_status, change.to_status, change.actor) == (
        "draft",
        "provider_review",
        staff_manager,
    )


def test_admin_action_by_viewer_changes_nothing(client, staff_viewer, operator):
    filing = FilingFactory(operator=operator)
    client.force_login(staff_viewer)

    client.post(
        reverse("admin:filings_filingapplication_changelist"),
        {"action": "submit_to_provider", "_selected_action": [filing.pk]},
    )

    filing.refresh_from_db()
    assert filing.status == "draft"
    assert not FilingStatusChange.objects.filter(filing=filing).exists()


def test_person_id_number_stays_masked_and_is_replaced_through_the_service(
    client, staff_manager, operator
):
    person = PersonFactory(operator=operator)
    client.force_login(staff_manager)
    url = reverse("admin:miniprograms_responsibleperson_change", args=[person.pk])
    page = client.get(url).content.decode()
    assert person.reveal_id_number() not in page
    assert person.id_number_masked in page
    data = {
        "role": person.role,
        "miniprogram": "",
        "domain": "",
        "name": "新名字",
        "id_type": person.id_type,
        "id_number": "",
        "id_expires_on": "",
        "mobile": person.mobile,
        "email": person.email,
        "emergency_contact": "",
    }
    old_hash = person.id_number_hash

    # an empty ID number keeps the stored one
    assert client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert (person.name, person.id_number_hash) == ("新名字", old_hash)

    # a new one is encrypted and re-indexed by person_update
    new = valid_ric(777)
    assert client.post(url, {**data, "id_number": new}).status_code == 302
    person = ResponsiblePerson.objects.get(pk=person.pk)
    assert person.reveal_id_number() == new
    assert person.id_number_hash != old_hash


def test_invalid_mobile_in_person_admin_is_refused(client, staff_manager, operator):
    person = PersonFactory(operator=operator)
    client.force_login(staff_manager)
    url = reverse("admin:miniprograms_responsibleperson_change", args=[person.pk])
    before = ResponsiblePerson.objects.filter(pk=person.pk).values().get()
    data = {
        "role": person.role,
        "name": person.name,
        "id_type": person.id_type,
        "id_number": "",
        "mobile": "12345",
        "email": person.email,
    }

    response = client.post(url, data)

    assert "Enter a mainland China mobile number" in _messages(client, response)
    assert ResponsiblePerson.objects.filter(pk=person.pk).values().get() == before


def test_webhook_endpoint_update_keeps_the_secret_and_checks_the_role(client, staff_manager, org):
    endpoint = WebhookEndpoint.objects.create(
        organization=org, name="群", kind="wecom", url=WECOM, language="zh-hans"
    )
    client.force_login(staff_manager)
    url = reverse("admin:notifications_webhookendpoint_change", args=[endpoint.pk])
    page = client.get(url).content.decode()
    assert "0123456789abcdef0123456789abcdef" not in page

    response = client.post(
        url,
        {
            "organization": org.pk,
            "name": "值班群",
            "kind": "wecom",
            "url": "",
            "language": "zh-hans",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.name, endpoint.url) == ("值班群", WECOM)


def test_webhook_endpoints_are_invisible_to_non_managers(client, org):
    endpoint = WebhookEndpoint.objects.create(
        organization=org, name="群", kind="wecom", url=WECOM, language="zh-hans"
    )
    editor = make_staff(org, Role.EDITOR)
    client.force_login(editor)
    url = reverse("admin:notifications_webhookendpoint_change", args=[endpoint.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "偷改"}).status_code == 404
    endpoint.refresh_from_db()
    assert endpoint.name == "群"


def test_document_delete_in_admin_goes_through_the_service(client, staff_viewer, operator):
    from django.core.files.base import ContentFile

    doc = Document(
        organization=operator.organization,
        operator=operator,
        name="营业执照",
        doc_type="business_licence",
        original_name="l.pdf",
        content_type="application/pdf",
        size=4,
    )
    doc.file.save("l.pdf", ContentFile(b"%PDF"), save=False)
    doc.save()
    client.force_login(staff_viewer)
    url = reverse("admin:documents_document_delete", args=[doc.pk])

    response = client.post(url, {"post": "yes"})

    assert "read-only access to this operator" in _messages(client, response)
    assert Document.objects.filter(pk=doc.pk).exists()


def test_ladders_are_superuser_only_and_validated_by_the_service(client, staff_manager, superuser):
    client.force_login(staff_manager)
    assert client.get(reverse("admin:notifications_reminderladder_changelist")).status_code == 403

    client.force_login(superuser)
    data = {
        "organization": "",
        "rule": "",
        "offsets": "[7, 7]",
        "overdue_every_days": "7",
        "escalate_when_overdue": "on",
        "escalate_unacknowledged_after_days": "3",
        "roles": '["manager"]',
    }
    response = client.post(reverse("admin:notifications_reminderladder_add"), data)
    assert "Each day may appear once" in _messages(client, response)
    assert not ReminderLadder.objects.filter(rule="").exists()  # (the seeded hour ladder stays)

    response = client.post(
        reverse("admin:notifications_reminderladder_add"), {**data, "offsets": "[0, 30, 7]"}
    )
    assert response.status_code == 302
    assert ReminderLadder.objects.get(rule="").offsets == [30, 7, 0]


def test_membership_admin_offers_only_own_operators(
    client, staff_manager, operator, other_operator
):
    m = MembershipFactory(organization=operator.organization, role=Role.EDITOR)
    client.force_login(staff_manager)

    response = client.get(reverse("admin:accounts_membership_change", args=[m.pk]))

    (inline,) = response.context["inline_admin_formsets"]
    choices = inline.formset.empty_form.fields["operator"].queryset
    assert operator in choices
    assert other_operator not in choices


def test_membership_change_by_a_viewer_is_refused(client, staff_viewer, operator):
    m = MembershipFactory(organization=operator.organization, role=Role.EDITOR)
    client.force_login(staff_viewer)
    url = reverse("admin:accounts_membership_change", args=[m.pk])

    prefix = client.get(url).context["inline_admin_formsets"][0].formset.prefix
    management = {f"{prefix}-{k}": v for k, v in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))}
    response = client.post(url, {"role": "manager", "limited_to_assigned": "", **management})

    assert "managers can change this" in _messages(client, response)
    m.refresh_from_db()
    assert m.role == Role.EDITOR


def test_licence_renewal_in_the_admin_goes_through_the_service(client, staff_manager, operator):
    licence = IcpLicenceFactory(operator=operator, last_annual_report_year=2023)
    client.force_login(staff_manager)
    url = reverse("admin:miniprograms_icplicence_change", args=[licence.pk])
    data = {
        "number": licence.number,
        "scope": "B25",
        "issued_on": "2024-03-01",
        "expires_on": "2020-01-01",
        "last_annual_report_year": "2030",
    }

    refused = client.post(url, data)
    assert "must expire after it was issued" in _messages(client, refused)
    licence.refresh_from_db()
    assert licence.expires_on == datetime.date(2029, 3, 1)

    client.post(url, {**data, "expires_on": "2034-03-01"})
    licence.refresh_from_db()
    assert (licence.scope, licence.expires_on) == ("B25", datetime.date(2034, 3, 1))
    assert licence.last_annual_report_year == 2023  # read-only here: reports move it
