"""accounts.access: who sees what, who may do what, and who is told about what."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from accounts import access
from accounts.models import Role
from core.exceptions import PermissionDeniedError
from miniprograms.models import Operator
from notifications.models import Notification
from tests.factories import (
    MembershipFactory,
    OperatorFactory,
    UserFactory,
    make_notification,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def unassigned(org):
    return OperatorFactory(organization=org, name_zh="未分配客户有限公司")


@pytest.fixture
def limited_editor(org, operator):
    m = MembershipFactory(organization=org, role=Role.EDITOR, limited_to_assigned=True)
    m.operators.set([operator])
    return m.user


@pytest.fixture
def staff(db):
    """Django staff without superuser and without any membership."""
    return UserFactory(is_staff=True)


def _visible(user) -> set[int]:
    return set(
        Operator.objects.filter(access.operator_scope_q(user=user)).values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("manager", {"operator", "unassigned"}),
        ("editor", {"operator", "unassigned"}),
        ("viewer", {"operator", "unassigned"}),
        ("limited_editor", {"operator"}),
        ("client_user", {"operator"}),
        ("other_manager", {"other_operator"}),
        ("superuser", {"operator", "unassigned", "other_operator"}),
        ("staff", set()),
        ("anonymous", set()),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_operator_scope_case(who, sees, request, operator, unassigned, other_operator):
    # given
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    rows = {"operator": operator, "unassigned": unassigned, "other_operator": other_operator}
    # when
    visible = _visible(user)
    # then
    assert visible == {rows[k].pk for k in sees}


def test_scope_prefix_reaches_operator_owned_rows(limited_editor, operator, unassigned):
    from tests.factories import MiniProgramFactory

    mine = MiniProgramFactory(operator=operator)
    MiniProgramFactory(operator=unassigned)
    q = access.operator_scope_q(user=limited_editor, prefix="operator__")

    assert list(mine.__class__.objects.filter(q).values_list("pk", flat=True)) == [mine.pk]


def test_organization_list_for_user(manager, other_manager, superuser, org, other_org):
    assert list(access.organization_list_for_user(user=manager)) == [org]
    assert list(access.organization_list_for_user(user=other_manager)) == [other_org]
    assert set(access.organization_list_for_user(user=superuser)) == {org, other_org}
    assert not access.organization_list_for_user(user=AnonymousUser()).exists()


@pytest.mark.parametrize(
    ("who", "on_assigned", "on_unassigned", "in_org"),
    [
        ("manager", True, True, True),
        ("editor", True, True, True),
        ("limited_editor", True, False, False),
        ("viewer", False, False, False),
        ("client_user", False, False, False),
        ("other_manager", False, False, False),
        ("superuser", True, True, True),
        ("staff", False, False, False),
    ],
)
def test_write_checks_case(who, on_assigned, on_unassigned, in_org, request, operator, unassigned):
    user = request.getfixturevalue(who)

    assert access.can_edit_operator(user, operator) is on_assigned
    assert access.can_edit_operator(user, unassigned) is on_unassigned
    assert access.can_edit_in_organization(user, operator.organization_id) is in_org
    assert access.can_import(user, operator.organization_id) is in_org


def test_ensure_can_edit_operator_refuses_with_message(viewer, operator):
    with pytest.raises(PermissionDeniedError, match="read-only access"):
        access.ensure_can_edit_operator(viewer, operator)


def test_ensure_can_import_refuses_limited_editor(limited_editor, org):
    with pytest.raises(PermissionDeniedError, match="Only managers and editors can import"):
        access.ensure_can_import(limited_editor, org.pk)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("manager", True),
        ("editor", False),
        ("viewer", False),
        ("other_manager", False),
        ("superuser", True),
        ("staff", False),
    ],
)
def test_manage_webhooks_case(who, allowed, request, org):
    user = request.getfixturevalue(who)

    assert access.can_manage_webhooks(user, org.pk) is allowed
    assert access.can_manage_organization(user, org.pk) is allowed


def test_global_rows_are_for_superusers_only(manager, superuser):
    assert access.can_manage_organization(manager, None) is False
    assert access.can_manage_organization(superuser, None) is True


def test_only_the_recipient_acknowledges(manager, editor, operator):
    n = make_notification(manager, operator)

    assert access.can_acknowledge(manager, n) is True
    assert access.can_acknowledge(editor, n) is False
    assert access.can_acknowledge(AnonymousUser(), n) is False


def test_acknowledge_service_refuses_someone_else_and_changes_nothing(manager, editor, operator):
    from notifications.services import notification_acknowledge

    n = make_notification(manager, operator)
    with pytest.raises(PermissionDeniedError):
        notification_acknowledge(user=editor, notification=n)
    n = Notification.objects.get(pk=n.pk)
    assert n.acknowledged_at is None
    assert n.read_at is None


def test_reveal_pii_needs_the_permission_and_a_second_factor(manager):
    from tests.factories import enable_totp

    assert access.can_reveal_pii(manager) is False
    manager.user_permissions.add(Permission.objects.get(codename="reveal_pii"))
    manager = type(manager).objects.get(pk=manager.pk)  # permissions are cached per object

    assert access.holds_reveal_permission(manager) is True
    assert access.can_reveal_pii(manager) is False  # no second factor yet
    enable_totp(manager)
    assert access.can_reveal_pii(manager) is True
    assert access.can_reveal_pii(AnonymousUser()) is False


def test_user_may_edit_somewhere(manager, viewer, client_user, superuser, limited_editor):
    assert access.user_may_edit_somewhere(user=manager) is True
    assert access.user_may_edit_somewhere(user=limited_editor) is True
    assert access.user_may_edit_somewhere(user=viewer) is False
    assert access.user_may_edit_somewhere(user=client_user) is False
    assert access.user_may_edit_somewhere(user=superuser) is True


def test_operator_edit_q_is_the_write_scope(limited_editor, viewer, manager, operator, unassigned):
    def editable(user) -> set[int]:
        q = access.operator_edit_q(user=user)
        return set(Operator.objects.filter(q).values_list("pk", flat=True))

    assert editable(manager) == {operator.pk, unassigned.pk}
    assert editable(limited_editor) == {operator.pk}
    assert editable(viewer) == set()


def test_memberships_are_read_once_per_user_object(manager, org, django_assert_num_queries):
    with django_assert_num_queries(1):
        for _ in range(3):
            membership = access.membership_for(manager, org.pk)
            assert membership is not None
            assert membership.role == Role.MANAGER
    access.membership_cache_clear(manager)
    with django_assert_num_queries(1):
        access.membership_list_for_user(user=manager)


# --- recipients -------------------------------------------------------------------------------


def test_recipients_follow_the_read_scope(
    org, operator, unassigned, manager, viewer, limited_editor
):
    # given: one inactive manager, one member of another organization
    inactive = MembershipFactory(organization=org, role=Role.MANAGER).user
    inactive.is_active = False
    inactive.save()
    roles = [Role.MANAGER, Role.EDITOR, Role.VIEWER]
    # when
    on_assigned = access.recipient_memberships(
        organization_id=org.pk, operator_id=operator.pk, roles=roles
    )
    on_unassigned = access.recipient_memberships(
        organization_id=org.pk, operator_id=unassigned.pk, roles=roles
    )
    # then
    assert {m.user for m in on_assigned} == {manager, viewer, limited_editor}
    assert {m.user for m in on_unassigned} == {manager, viewer}


def test_recipient_roles_filter(org, operator, manager, viewer):
    members = access.recipient_memberships(
        organization_id=org.pk, operator_id=operator.pk, roles=[Role.MANAGER]
    )
    assert [m.user for m in members] == [manager]


def test_is_recipient_rechecks_assignment(org, operator, unassigned, limited_editor, other_manager):
    kw = {"organization_id": org.pk}
    assert access.is_recipient(user_id=limited_editor.pk, operator_id=operator.pk, **kw)
    assert not access.is_recipient(user_id=limited_editor.pk, operator_id=unassigned.pk, **kw)
    assert not access.is_recipient(user_id=other_manager.pk, operator_id=operator.pk, **kw)
