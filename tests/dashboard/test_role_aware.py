"""Nobody is shown a control they may not use, and a refusal says the real reason.

Per role: the button or form is absent, a direct request is refused with the reason, and
nothing changed.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from imports.models import ImportRun, ImportStatus
from imports.tasks import import_preview_task
from miniprograms.models import Operator
from tests.factories import MembershipFactory, OperatorFactory
from tests.imports.helpers import portfolio_sheets, xlsx

pytestmark = pytest.mark.django_db

READ_ONLY = "read-only"
LIMITED = "limited to your assigned clients"


@pytest.fixture
def limited_editor(org, operator):
    """An editor of `org` limited to `operator`."""
    m = MembershipFactory(organization=org, role=Role.EDITOR, limited_to_assigned=True)
    m.operators.set([operator])
    return m.user


def _upload(c):
    return c.post(
        reverse("imports:index"),
        {"file": SimpleUploadedFile("p.xlsx", xlsx(portfolio_sheets(1)))},
        follow=True,
    )


@pytest.mark.parametrize(
    ("role", "reason"),
    [("limited_editor", LIMITED), ("viewer", READ_ONLY), ("client_user", READ_ONLY)],
)
def test_no_add_operator_button_and_a_direct_post_is_refused_with_the_reason(
    request, client, role, reason
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    before = Operator.objects.count()

    page = client.get(reverse("dashboard:operator_list")).content.decode()
    response = client.post(
        reverse("dashboard:operator_create"),
        {"name_zh": "新公司", "province": "440000", "entity_type": "5"},
        follow=True,
    )

    assert 'data-testid="add-operator"' not in page
    assert response.status_code in (200, 403)  # the list with a message, or the 403 page
    assert reason in response.content.decode()
    assert Operator.objects.count() == before


@pytest.mark.parametrize(
    ("role", "reason"),
    [("limited_editor", LIMITED), ("viewer", READ_ONLY), ("client_user", READ_ONLY)],
)
def test_no_import_form_and_a_direct_upload_is_refused_with_the_reason(
    request, client, role, reason
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    before = Operator.objects.count()

    imports_page = client.get(reverse("imports:index")).content.decode()
    reports_page = client.get(reverse("reports:index")).content.decode()
    response = _upload(client)

    assert 'data-testid="import-form"' not in imports_page
    assert reason in imports_page
    assert 'data-testid="import-link"' not in reports_page
    assert reason in response.content.decode()
    assert ImportRun.objects.count() == 0
    assert Operator.objects.count() == before


def test_manager_gets_the_buttons_and_forms(client, manager):
    client.force_login(manager)

    assert (
        'data-testid="add-operator"'
        in client.get(reverse("dashboard:operator_list")).content.decode()
    )
    assert 'data-testid="import-form"' in client.get(reverse("imports:index")).content.decode()
    assert 'data-testid="import-link"' in client.get(reverse("reports:index")).content.decode()


def test_limited_editor_keeps_the_controls_for_assigned_clients(client, limited_editor):
    client.force_login(limited_editor)

    page = client.get(reverse("dashboard:miniprogram_list")).content.decode()

    assert 'data-testid="add-miniprogram"' in page


def test_limited_editor_cannot_reach_an_unassigned_operator_at_all(client, limited_editor, org):
    other = OperatorFactory(organization=org, name_zh="没分配的公司")
    client.force_login(limited_editor)

    response = client.post(
        reverse("dashboard:operator_edit", args=[other.pk]),
        {"name_zh": "改名", "province": "440000", "entity_type": "4", "uscc": other.uscc},
    )

    assert response.status_code == 404  # not theirs looks like not found
    other.refresh_from_db()
    assert other.name_zh == "没分配的公司"


def test_viewer_is_told_the_role_is_read_only(client, viewer, operator):
    client.force_login(viewer)

    response = client.post(
        reverse("dashboard:operator_edit", args=[operator.pk]),
        {"name_zh": "改名", "province": "440000", "entity_type": "4", "uscc": operator.uscc},
    )

    assert response.status_code == 403
    body = response.content.decode()
    assert 'data-testid="denial-reason"' in body
    assert "Your role in this organization is read-only" in body
    operator.refresh_from_db()
    assert operator.name_zh != "改名"


def test_a_role_lost_after_the_check_hides_the_import_button_and_says_why(client, manager, org):
    from accounts.models import Membership

    client.force_login(manager)
    _upload(client)
    run = ImportRun.objects.get()
    import_preview_task(run.pk)  # the worker's check: the run is ready to import
    run.refresh_from_db()
    assert run.status == ImportStatus.VALID
    Membership.objects.filter(user=manager, organization=org).update(role=Role.VIEWER)

    page = client.get(reverse("imports:detail", args=[run.pk])).content.decode()
    response = client.post(reverse("imports:commit", args=[run.pk]), follow=True)

    assert 'data-testid="import-commit"' not in page
    assert 'data-testid="import-retry-form"' not in page
    assert READ_ONLY in page
    assert READ_ONLY in response.content.decode()
    assert Operator.objects.count() == 0
