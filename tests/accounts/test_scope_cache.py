"""The read scope reads the user's memberships once per user object (once per request)."""

from __future__ import annotations

import pytest

from accounts.access import membership_cache_clear, operator_scope_q
from accounts.models import Membership, Role
from miniprograms.models import Operator
from tests.factories import MembershipFactory, OperatorFactory

pytestmark = pytest.mark.django_db


def test_scope_q_reads_memberships_once_for_many_selectors(django_assert_num_queries, manager):
    with django_assert_num_queries(1):
        for prefix in ("", "operator__", "filing__operator__", "operator__", ""):
            operator_scope_q(user=manager, prefix=prefix)


def test_scope_q_from_the_cache_gives_the_same_rows(org, other_org):
    # given a user with a full membership and one limited to an assigned operator
    mine, theirs, unassigned = (
        OperatorFactory(organization=o) for o in (org, other_org, other_org)
    )
    full = MembershipFactory(organization=org, role=Role.VIEWER)
    limited = MembershipFactory(
        organization=other_org, user=full.user, role=Role.VIEWER, limited_to_assigned=True
    )
    limited.operators.set([theirs])

    # when
    seen = set(Operator.objects.filter(operator_scope_q(user=full.user)))

    # then
    assert seen == {mine, theirs}
    assert unassigned not in seen


def test_scope_follows_memberships_after_the_cache_is_cleared(org, operator):
    user = MembershipFactory(organization=org, role=Role.VIEWER).user
    assert Operator.objects.filter(operator_scope_q(user=user)).count() == 1

    Membership.objects.filter(user=user).delete()
    membership_cache_clear(user)

    assert not Operator.objects.filter(operator_scope_q(user=user)).exists()
