"""POST /api/v1/auth/token/: the password, throttled with the sign-in page's own counters (per
account and per client address), and the second factor when the account has one."""

from __future__ import annotations

import datetime

from allauth.account.forms import LoginForm
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import MembershipFactory, UserFactory, enable_totp, totp_code
from tokens.models import ApiToken

from .conftest import PASSWORD


def _sign_in(username: str, password: str = PASSWORD, **extra):
    return APIClient().post(
        reverse("api-token"), {"username": username, "password": password, **extra}
    )


def _page_sign_in(username: str, password: str) -> LoginForm:
    """What the sign-in page does with a POST (allauth's login form), from the same address."""
    request = RequestFactory().post("/accounts/login/")
    form = LoginForm(data={"login": username, "password": password}, request=request)
    form.is_valid()
    return form


def _attempts_until_429(username: str, limit: int = 20) -> tuple[int, list[int]]:
    statuses = [_sign_in(username, "wrong-password").status_code for _ in range(limit)]
    return statuses.index(429) + 1 if 429 in statuses else 0, statuses


def test_wrong_password_is_400_like_before(person):
    refused = _sign_in(person.username, "wrong")
    assert refused.status_code == 400
    assert refused.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}
    assert not ApiToken.objects.exists()


def test_20_bad_passwords_throttle_the_account_until_the_wait_passes(person, time_machine, events):
    time_machine.move_to("2026-05-01T08:00:00Z", tick=True)
    first_429, statuses = _attempts_until_429(person.username)

    assert 1 < first_429 <= 20, statuses
    assert set(statuses[: first_429 - 1]) == {400}
    assert set(statuses[first_429 - 1 :]) == {429}

    refused = _sign_in(person.username)  # the right password, while throttled
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 0 < wait <= 900  # SIGNIN_LOGIN_FAILED_RATE: 5 per account per 15 minutes
    assert str(wait) in refused.json()["detail"]
    assert not ApiToken.objects.exists()
    from audit.actions import AccessAction
    from audit.models import AuditEntry

    throttled = AuditEntry.objects.filter(access=AccessAction.SIGN_IN_THROTTLED)
    assert throttled.count() == len(statuses) - first_429 + 2  # each refusal, once

    time_machine.move_to(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=wait))
    ok = _sign_in(person.username)
    assert ok.status_code == 200
    assert ApiToken.objects.filter(user=person).count() == 1


def test_the_address_is_throttled_across_accounts(db):
    users = [UserFactory() for _ in range(22)]  # SIGNIN_LOGIN_FAILED_RATE: 20 per address a minute
    statuses = [_sign_in(u.username, "wrong-password").status_code for u in users]

    assert statuses[-1] == 429  # a fresh account name, but the same client address
    assert 400 in statuses
    fresh = UserFactory()
    assert _sign_in(fresh.username).status_code == 429
    assert not ApiToken.objects.exists()


def test_failed_page_sign_ins_count_for_the_endpoint(person):
    for _ in range(10):
        form = _page_sign_in(person.username, "wrong-password")
        assert not form.is_valid()

    refused = _sign_in(person.username)
    assert refused.status_code == 429
    assert not ApiToken.objects.exists()


def test_failed_endpoint_attempts_count_for_the_page(person):
    first_429, _statuses = _attempts_until_429(person.username)
    assert first_429

    form = _page_sign_in(person.username, PASSWORD)
    assert not form.is_valid()
    assert "Too many failed sign-in attempts" in str(form.errors)


def test_two_factor_requires_a_valid_code(person):
    secret = enable_totp(person)

    missing = _sign_in(person.username)
    assert missing.status_code == 400
    assert missing.json()["code"] == "two_factor_required"

    wrong = _sign_in(person.username, code="000000" if totp_code(secret) != "000000" else "111111")
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "two_factor_invalid"
    assert not ApiToken.objects.exists()

    ok = _sign_in(person.username, code=totp_code(secret))
    assert ok.status_code == 200
    assert ApiToken.objects.filter(user=person).count() == 1


def test_a_totp_code_works_once(person):
    secret = enable_totp(person)
    code = totp_code(secret)

    assert _sign_in(person.username, code=code).status_code == 200
    assert _sign_in(person.username, code=code).status_code == 400
    assert ApiToken.objects.filter(user=person).count() == 1


def test_a_recovery_code_works_once(person):
    enable_totp(person)
    codes = RecoveryCodes(
        Authenticator.objects.get(user=person, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()

    assert _sign_in(person.username, code=codes[0]).status_code == 200
    again = _sign_in(person.username, code=codes[0])
    assert again.status_code == 400
    assert ApiToken.objects.filter(user=person).count() == 1


def test_wrong_codes_are_throttled(person):
    secret = enable_totp(person)
    right = totp_code(secret)
    wrong = "000000" if right != "000000" else "111111"

    statuses = [_sign_in(person.username, code=wrong).status_code for _ in range(8)]

    assert statuses[-1] == 429, statuses
    assert _sign_in(person.username, code=right).status_code == 429
    assert not ApiToken.objects.exists()


def test_a_superuser_without_two_factor_gets_no_token(db):
    superuser = UserFactory(is_staff=True, is_superuser=True)  # no authenticator app yet
    refused = _sign_in(superuser.username)

    assert refused.status_code == 403
    assert "two-factor" in refused.json()["detail"]
    assert not ApiToken.objects.exists()


def test_a_member_of_an_organization_requiring_two_factor_gets_no_token_without(person, org):
    org.require_two_factor = True
    org.save()
    MembershipFactory(user=person, organization=org)

    assert _sign_in(person.username).status_code == 403
    assert not ApiToken.objects.exists()

    secret = enable_totp(person)
    assert _sign_in(person.username, code=totp_code(secret)).status_code == 200


def test_someone_who_may_reveal_ids_needs_two_factor(person):
    from django.contrib.auth.models import Permission

    person.user_permissions.add(Permission.objects.get(codename="reveal_pii"))

    assert _sign_in(person.username).status_code == 403
    assert not ApiToken.objects.exists()


def test_the_token_endpoint_records_the_creation(person, events):
    body = _sign_in(person.username, name="backup").json()

    created = [e for e in events if e["action"] == "token_created"]
    assert len(created) == 1
    assert created[0]["actor"] == person
    assert created[0]["target"].pk == body["id"]
    assert created[0]["detail"]["via"] == "sign_in"


def test_an_organization_without_password_sign_in_gets_no_token_by_password(person, org):
    org.password_sign_in = False
    org.save()
    MembershipFactory(user=person, organization=org)

    refused = _sign_in(person.username)

    assert refused.status_code == 403
    assert "single sign-on" in refused.json()["detail"]
    assert not ApiToken.objects.exists()


def test_another_refusal_of_the_sign_in_adapter_is_a_403_not_a_throttle(person, monkeypatch):
    from django.core.exceptions import ValidationError

    class Refusing:
        def authenticate(self, request, **credentials):
            raise ValidationError("Not from here.", code="policy")

    monkeypatch.setattr("tokens.services.get_adapter", lambda request=None: Refusing())

    refused = _sign_in(person.username)

    assert refused.status_code == 403
    assert refused.json()["detail"] == "Not from here."
    assert "Retry-After" not in refused
    assert not ApiToken.objects.exists()
