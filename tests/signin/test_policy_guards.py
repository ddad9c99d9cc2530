"""Guards around the sign-in policy: an organization cannot be left with no way in, and an
address that already belongs to an account (even a former one) cannot be invited."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError

from core.exceptions import ApplicationError
from signin.invitations.services import invitation_create
from signin.models import Invitation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_passwords_off_without_a_provider_is_refused_on_the_model(org):
    org.password_sign_in = False
    org.sso_providers = []
    with pytest.raises(ValidationError) as refused:
        org.full_clean()
    assert "sso_providers" in refused.value.message_dict
    org.sso_providers = ["wecom"]
    org.full_clean()  # with a provider it is fine


def test_a_former_address_of_an_account_cannot_be_invited(org, manager):
    someone = UserFactory(email="new@example.com")
    EmailAddress.objects.create(user=someone, email="old@example.com", verified=True)

    with pytest.raises(ApplicationError):
        invitation_create(user=manager, organization=org, email="OLD@example.com", role="viewer")
    assert not Invitation.objects.exists()
