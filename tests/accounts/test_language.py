"""One language per person: `user.language` chooses the pages; the switch and the profile set it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def _overview(client) -> str:
    response = client.get(reverse("dashboard:overview"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_chinese_speaker_gets_chinese_pages_without_any_cookie(client, manager):
    manager.language = "zh-hans"
    manager.save()
    client.force_login(manager)

    html = _overview(client)

    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert '<html lang="zh-hans">' in html
    assert "概览" in html
    assert ">Overview<" not in html


def test_the_users_language_wins_over_browser_and_cookie(client, manager):
    client.force_login(manager)  # language "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    response = client.get(reverse("dashboard:overview"), HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert '<html lang="en">' in response.content.decode()
    assert response["Content-Language"] == "en"


def test_anonymous_visitors_keep_the_browser_language(client):
    zh = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    en = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="zh-hans">' in zh
    assert "登录" in zh
    assert '<html lang="en">' in en
    assert "Sign in" in en


def test_the_header_switch_saves_the_language_on_the_user(client, manager):
    client.force_login(manager)

    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/portfolio/"})

    assert response.status_code == 302
    assert response["Location"] == "/portfolio/"
    manager.refresh_from_db()
    assert manager.language == "zh-hans"
    # Another browser, no cookie: still Chinese.
    other = client.__class__()
    other.force_login(manager)
    assert "概览" in _overview(other)


def test_the_switch_refuses_an_unknown_language_and_changes_nothing(client, manager):
    client.force_login(manager)

    client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    manager.refresh_from_db()
    assert manager.language == "en"


def test_anonymous_switch_sets_the_cookie_only(client, manager):
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})

    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    manager.refresh_from_db()
    assert manager.language == "en"


def test_profile_page_sets_name_email_and_language(client, viewer):
    client.force_login(viewer)
    assert reverse("accounts:profile") in _overview(client)  # linked from the user menu

    response = client.post(
        reverse("accounts:profile"),
        {
            "first_name": "Li",
            "last_name": "Wei",
            "email": "li.wei@example.com",
            "language": "zh-hans",
        },
        follow=True,
    )

    assert response.status_code == 200
    viewer.refresh_from_db()
    assert (viewer.first_name, viewer.email, viewer.language) == (
        "Li",
        "li.wei@example.com",
        "zh-hans",
    )
    assert "个人资料" in response.content.decode()  # the next page is already Chinese


def test_profile_refuses_bad_input_and_writes_nothing(client, viewer):
    client.force_login(viewer)
    before = (viewer.email, viewer.language, viewer.first_name)

    response = client.post(
        reverse("accounts:profile"),
        {"first_name": "X", "last_name": "", "email": "not-an-address", "language": "xx"},
    )

    assert response.status_code == 400
    viewer.refresh_from_db()
    assert (viewer.email, viewer.language, viewer.first_name) == before


def test_profile_needs_a_login(client):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_new_user_speaks_the_site_language():
    assert User(username="new").language == settings.LANGUAGE_CODE
