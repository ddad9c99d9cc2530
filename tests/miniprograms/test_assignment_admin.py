"""The membership admin edits assigned operators in an inline on the many-to-many's table."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Membership, Role
from tests.factories import MembershipFactory, OperatorFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(org):
    """A staff manager of `org` with every model permission, not a superuser."""
    return make_staff(org, Role.MANAGER)


@pytest.fixture
def limited(org):
    return MembershipFactory(organization=org, role=Role.CLIENT, limited_to_assigned=True)


def _post_data(response, membership: Membership, operator_ids: list[int]) -> dict:
    (inline,) = response.context["inline_admin_formsets"]
    prefix = inline.formset.prefix
    data = {
        "user": membership.user_id,
        "organization": membership.organization_id,
        "role": membership.role,
        "limited_to_assigned": "on" if membership.limited_to_assigned else "",
        f"{prefix}-TOTAL_FORMS": str(len(operator_ids)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, pk in enumerate(operator_ids):
        data[f"{prefix}-{i}-operator"] = str(pk)
        data[f"{prefix}-{i}-membership"] = str(membership.pk)
    return data


def test_change_page_shows_the_assigned_operators_inline(client, superuser, limited, operator):
    limited.operators.add(operator)
    client.force_login(superuser)

    response = client.get(reverse("admin:accounts_membership_change", args=[limited.pk]))

    assert response.status_code == 200
    (inline,) = response.context["inline_admin_formsets"]
    assert inline.formset.model is Membership.operators.through
    assert [f.instance.operator_id for f in inline.formset.initial_forms] == [operator.pk]


def test_staff_assigns_an_operator_of_the_membership_organization(client, staff, limited, operator):
    client.force_login(staff)
    url = reverse("admin:accounts_membership_change", args=[limited.pk])

    response = client.post(url, _post_data(client.get(url), limited, [operator.pk]))

    assert response.status_code == 302
    assert list(limited.operators.all()) == [operator]


def test_operator_of_another_organization_cannot_be_assigned(
    client, superuser, limited, other_operator
):
    client.force_login(superuser)
    url = reverse("admin:accounts_membership_change", args=[limited.pk])

    response = client.post(url, _post_data(client.get(url), limited, [other_operator.pk]))

    assert response.status_code == 200  # the form comes back with an error
    (inline,) = response.context["inline_admin_formsets"]
    assert "operator" in inline.formset.errors[0]
    assert not limited.operators.exists()


def test_staff_choices_exclude_other_tenants_operators(client, staff, limited, operator, other_org):
    stranger = OperatorFactory(organization=other_org)
    client.force_login(staff)

    response = client.get(reverse("admin:accounts_membership_change", args=[limited.pk]))

    (inline,) = response.context["inline_admin_formsets"]
    choices = inline.formset.empty_form.fields["operator"].queryset
    assert operator in choices
    assert stranger not in choices
