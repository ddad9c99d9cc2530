"""Failed sign-ins are throttled per account and per address, with the wait on the page; the
right password is refused until the wait has passed. The admin signs in through the same page."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory, enable_totp, totp_code

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _post(client: Client, login: str, password: str, **extra):
    return client.post(LOGIN, {"login": login, "password": password}, **extra)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _errors(response) -> list[str]:
    return [str(e) for e in response.context["form"].non_field_errors()]


def _attempts_until_throttled(client: Client, login: str, tries: int = 20) -> int:
    """Wrong passwords until the page says to wait: how many were answered normally."""
    for n in range(tries):
        response = _post(client, login, "wrong-password")
        assert response.status_code == 200
        if any("Too many failed sign-in attempts" in e for e in _errors(response)):
            return n
    return tries


def test_twenty_bad_passwords_throttle_the_account_and_refuse_the_right_one(manager, events):
    client = Client()
    start = datetime.datetime.now(tz=datetime.UTC)
    with time_machine.travel(start, tick=False):
        answered = _attempts_until_throttled(client, manager.username)
        assert answered == 5  # 5 failures per account in 15 minutes
        for _ in range(20 - answered - 1):
            _post(client, manager.username, "wrong-password")

        refused = _post(client, manager.username, PASSWORD)
        assert refused.status_code == 200
        assert not _signed_in(client)
        assert _errors(refused) == ["Too many failed sign-in attempts. Try again in 15 minutes."]

    throttled = [kw for action, kw in events if action == "sign_in_throttled"]
    assert len(throttled) == 20 - answered + 1  # the throttled wrong ones and the right one
    assert throttled[0]["actor_label"] == manager.username
    assert throttled[0]["request"].META["REMOTE_ADDR"] == "127.0.0.1"
    assert 0 < throttled[0]["detail"]["wait_seconds"] <= 15 * 60

    with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
        later = _post(client, manager.username, PASSWORD)
        assert not _signed_in(client)
        assert _errors(later) == ["Too many failed sign-in attempts. Try again in 1 minute."]

    with time_machine.travel(start + datetime.timedelta(minutes=15, seconds=1), tick=False):
        response = _post(client, manager.username, PASSWORD)
        assert response.status_code == 302
        assert response["Location"] == reverse("dashboard:overview")
        assert _signed_in(client)


def test_the_account_is_throttled_by_e_mail_as_by_username(manager):
    client = Client()
    assert _attempts_until_throttled(client, manager.email) == 5
    _post(client, manager.email, PASSWORD)
    assert not _signed_in(client)


def test_one_address_trying_many_accounts_is_throttled(manager):
    """20 failures a minute from one address, whatever the accounts: the 21st is refused,
    even the right password of an account nobody tried."""
    client = Client()
    for n in range(20):
        response = _post(client, f"nobody-{n}", "wrong-password")
        assert "Too many" not in " ".join(_errors(response)), n
    refused = _post(client, manager.username, PASSWORD)
    assert not _signed_in(client)
    assert any("Too many failed sign-in attempts" in e for e in _errors(refused))

    other_address = Client(REMOTE_ADDR="127.0.0.2")
    assert _post(other_address, manager.username, PASSWORD).status_code == 302


def test_a_right_password_does_not_reset_the_account_count(manager):
    client = Client()
    for _ in range(4):
        _post(client, manager.username, "wrong-password")
    assert _post(client, manager.username, PASSWORD).status_code == 302  # 4 < 5
    client = Client()
    _post(client, manager.username, "wrong-password")  # the 5th failure in the window
    refused = _post(client, manager.username, PASSWORD)
    assert not _signed_in(client)
    assert any("Too many" in e for e in _errors(refused))


def test_the_admin_signs_in_through_the_throttled_page(superuser):
    client = Client()
    response = client.post("/admin/login/", {"username": superuser.username, "password": PASSWORD})
    # The admin's own form is gone: it sends to the sign-in page and checks no password.
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")
    assert not _signed_in(client)

    assert _attempts_until_throttled(client, superuser.username) == 5
    refused = _post(client, superuser.username, PASSWORD, QUERY_STRING="next=/admin/")
    assert not _signed_in(client)
    assert any("Too many" in e for e in _errors(refused))
    assert client.get("/admin/").status_code == 302


def test_admin_sign_in_asks_for_the_second_factor(db):
    admin = UserFactory(is_staff=True, is_superuser=True)
    secret = enable_totp(admin)
    client = Client()
    first = client.post(f"{LOGIN}?next=/admin/", {"login": admin.username, "password": PASSWORD})
    assert first["Location"] == reverse("mfa_authenticate")
    assert not _signed_in(client)
    assert client.get("/admin/").status_code == 302

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert not _signed_in(client)

    done = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_password_reset_is_throttled_per_address_and_per_e_mail(manager, mailoutbox):
    client = Client()
    url = reverse("account_reset_password")
    answers = [client.post(url, {"email": manager.email}).status_code for _ in range(5)]
    assert answers == [302, 302, 302, 429, 429]  # 3 per e-mail address in 15 minutes
    assert len(mailoutbox) == 3

    page = client.post(url, {"email": manager.email})
    assert page.status_code == 429
    assert 'data-testid="too-many-requests"' in page.content.decode()
    assert len(mailoutbox) == 3

    for n in range(5):  # 10 per address a minute, whatever the addresses
        client.post(url, {"email": f"other-{n}@example.com"})
    assert client.post(url, {"email": "last@example.com"}).status_code == 429
