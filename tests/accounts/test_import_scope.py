"""Imports ask accounts.access: a member limited to assigned operators may not import."""

from __future__ import annotations

import pytest

from accounts.models import Role
from core.exceptions import ApplicationError, PermissionDeniedError
from imports import services as import_services
from imports.models import ImportRun
from miniprograms.models import Operator
from tests.factories import MembershipFactory, OperatorFactory
from tests.imports.helpers import OPERATOR_HEAD, xlsx

pytestmark = pytest.mark.django_db


def test_limited_editor_cannot_import_into_an_unassigned_client(org, operator):
    # given: an editor limited to `operator`, and a client of the agency not assigned to them
    unassigned = OperatorFactory(organization=org, name_en="Before")
    m = MembershipFactory(organization=org, role=Role.EDITOR, limited_to_assigned=True)
    m.operators.set([operator])
    row = [unassigned.name_zh, "After", "企业", unassigned.uscc, "广东", ""]
    content = xlsx({"主办单位": [OPERATOR_HEAD, row]})
    before = list(Operator.objects.order_by("pk").values())

    # when / then
    with pytest.raises(PermissionDeniedError, match="Only managers and editors can import"):
        import_services.import_run_create(
            user=m.user, content=content, filename="clients.xlsx", organization_id=org.pk
        )
    assert ImportRun.objects.count() == 0
    assert list(Operator.objects.order_by("pk").values()) == before


def test_limited_editor_has_no_organization_to_import_into(org, operator):
    m = MembershipFactory(organization=org, role=Role.EDITOR, limited_to_assigned=True)
    m.operators.set([operator])

    # told the real reason, not asked to choose an organization they cannot import into
    with pytest.raises(ApplicationError, match="limited to your assigned clients"):
        import_services.import_run_create(user=m.user, content=b"", filename="x.csv")
    assert ImportRun.objects.count() == 0


def test_unrestricted_editor_may_import(org, editor):
    row = ["新客户有限公司", "New", "企业", OperatorFactory.build().uscc, "广东", ""]
    run = import_services.import_run_create(
        user=editor,
        content=xlsx({"主办单位": [OPERATOR_HEAD, row]}),
        filename="clients.xlsx",
        organization_id=org.pk,
    )
    assert ImportRun.objects.filter(pk=run.pk, organization=org).count() == 1
