"""Sign-in, sign-out (POST) and password reset by e-mail with the project's templates."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_and_sign_in(client_for, manager):
    c = client_for()
    page = c.get(reverse("account_login"))
    assert page.status_code == 200
    assert 'id="login-form"' in page.content.decode()
    response = c.post(
        reverse("account_login"), {"login": manager.username, "password": "pw-for-tests-1"}
    )
    assert response["Location"] == reverse("dashboard:overview")
    assert c.get(reverse("dashboard:overview")).status_code == 200


def test_wrong_password_is_an_inline_error(client_for, manager):
    response = client_for().post(
        reverse("account_login"), {"login": manager.username, "password": "x"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_sign_out_is_a_post(client_for, manager):
    c = client_for(manager)
    body = c.get(reverse("dashboard:overview")).content.decode()
    assert 'id="logout-form"' in body
    assert 'method="post" action="/accounts/logout/"' in body
    # A GET only asks to confirm: the user is still signed in.
    assert c.get(reverse("account_logout")).status_code == 200
    assert c.get(reverse("dashboard:overview")).status_code == 200
    assert c.post(reverse("account_logout")).status_code == 302
    assert c.get(reverse("dashboard:overview")).status_code == 302


def test_sign_in_by_email_address(client_for, manager):
    c = client_for()
    response = c.post(
        reverse("account_login"), {"login": manager.email, "password": "pw-for-tests-1"}
    )
    assert response["Location"] == reverse("dashboard:overview")


def test_nobody_signs_up(client_for):
    from accounts.models import User

    before = User.objects.count()
    c = client_for()
    page = c.get("/accounts/signup/")
    assert page.status_code == 200
    assert 'name="password1"' not in page.content.decode()
    c.post(
        "/accounts/signup/",
        {
            "username": "newcomer",
            "email": "n@example.com",
            "password1": "Xy-9876-pass!",
            "password2": "Xy-9876-pass!",
        },
    )
    assert User.objects.count() == before


def test_password_reset_by_email(client_for, manager):
    c = client_for()
    assert c.get(reverse("account_reset_password")).status_code == 200
    response = c.post(reverse("account_reset_password"), {"email": manager.email})
    assert response["Location"] == reverse("account_reset_password_done")
    assert c.get(reverse("account_reset_password_done")).status_code == 200
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [manager.email]
    assert message.subject == "Reset your password"
    found = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", str(message.body))
    assert found is not None
    link = found.group(1)
    form_page = c.get(link, follow=True)
    assert form_page.status_code == 200
    assert 'name="password1"' in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = c.post(set_url, {"password1": "N3w-pass-phrase!", "password2": "N3w-pass-phrase!"})
    assert done["Location"] == reverse("account_reset_password_from_key_done")
    assert c.get(reverse("account_reset_password_from_key_done")).status_code == 200
    manager.refresh_from_db()
    assert manager.check_password("N3w-pass-phrase!")


def test_password_reset_unknown_address_sends_no_link(client_for):
    response = client_for().post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    # allauth tells the unknown address that it has no account (no enumeration on the page).
    assert all("/accounts/password/reset/key/" not in str(m.body) for m in mail.outbox)


def test_assets_are_local(client_for, manager):
    body = client_for(manager).get(reverse("dashboard:overview")).content.decode()
    assert "/static/vendor/htmx/htmx.min.js" in body
    assert "/static/css/app.css" in body
    assert not re.search(r"(src|href)=\"(https?:)?//", body)
