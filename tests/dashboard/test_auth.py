"""Sign-in, sign-out (POST) and password reset by e-mail with the project's templates."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_and_sign_in(client_for, manager):
    c = client_for()
    page = c.get(reverse("login"))
    assert page.status_code == 200
    assert 'id="login-form"' in page.content.decode()
    response = c.post(
        reverse("login"), {"username": manager.username, "password": "pw-for-tests-1"}
    )
    assert response["Location"] == reverse("dashboard:overview")
    assert c.get(reverse("dashboard:overview")).status_code == 200


def test_wrong_password_is_an_inline_error(client_for, manager):
    response = client_for().post(reverse("login"), {"username": manager.username, "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_sign_out_is_a_post(client_for, manager):
    c = client_for(manager)
    body = c.get(reverse("dashboard:overview")).content.decode()
    assert 'id="logout-form"' in body
    assert 'method="post" action="/accounts/logout/"' in body
    assert c.get(reverse("logout")).status_code == 405
    assert c.post(reverse("logout")).status_code == 302
    assert c.get(reverse("dashboard:overview")).status_code == 302


def test_password_reset_by_email(client_for, manager):
    c = client_for()
    assert c.get(reverse("password_reset")).status_code == 200
    response = c.post(reverse("password_reset"), {"email": manager.email})
    assert response["Location"] == reverse("password_reset_done")
    assert c.get(reverse("password_reset_done")).status_code == 200
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [manager.email]
    assert "Reset your password" in message.subject
    found = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", str(message.body))
    assert found is not None
    link = found.group(1)
    form_page = c.get(link, follow=True)
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    done = c.post(
        set_url, {"new_password1": "N3w-pass-phrase!", "new_password2": "N3w-pass-phrase!"}
    )
    assert done["Location"] == reverse("password_reset_complete")
    assert c.get(reverse("password_reset_complete")).status_code == 200
    manager.refresh_from_db()
    assert manager.check_password("N3w-pass-phrase!")


def test_password_reset_unknown_address_sends_nothing(client_for):
    response = client_for().post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_assets_are_local(client_for, manager):
    body = client_for(manager).get(reverse("dashboard:overview")).content.decode()
    assert "/static/vendor/htmx/htmx.min.js" in body
    assert "/static/css/app.css" in body
    assert not re.search(r"(src|href)=\"(https?:)?//", body)
