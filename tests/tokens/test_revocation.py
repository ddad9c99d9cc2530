"""A password change (any path) and a deactivation revoke every token of that person, and
are recorded with the reason; a sign-in that only re-hashes the password does not."""

from __future__ import annotations

from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import make_api_token
from tokens.models import ApiToken

from .conftest import PASSWORD


def _works(key: str) -> bool:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    status = c.get(reverse("organization-list")).status_code
    assert status in (200, 401)
    return status == 200


def test_set_password_and_save_revokes_all_of_that_persons_tokens(person, other_manager, events):
    _a, key_a = make_api_token(person)
    _b, key_b = make_api_token(person)
    _theirs, their_key = make_api_token(other_manager)

    person.set_password("a-new-passphrase-2")
    person.save()

    assert not _works(key_a)
    assert not _works(key_b)
    assert _works(their_key)
    assert not ApiToken.objects.filter(user=person).exists()
    revoked = [e for e in events if e["action"] == "token_revoked"]
    assert len(revoked) == 1
    assert revoked[0]["detail"]["reason"] == "password_changed"
    assert revoked[0]["detail"]["count"] == 2


def test_the_password_change_page_revokes_them(person):
    _token, key = make_api_token(person)
    client = APIClient()
    client.force_login(person)

    form = PasswordChangeForm(
        person,
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-passphrase-2",
            "new_password2": "a-new-passphrase-2",
        },
    )
    assert form.is_valid(), form.errors
    form.save()  # what the page (Django's, the admin's, allauth's) ends with

    assert not _works(key)


def test_a_password_reset_revokes_them(person):
    _token, key = make_api_token(person)

    form = SetPasswordForm(
        person, {"new_password1": "a-new-passphrase-2", "new_password2": "a-new-passphrase-2"}
    )
    assert form.is_valid(), form.errors
    form.save()

    assert not _works(key)


def test_saving_other_fields_keeps_the_tokens(person, events):
    _token, key = make_api_token(person)

    person.first_name = "新名字"
    person.save()
    person.language = "zh-hans"
    person.save(update_fields=["language"])

    assert _works(key)
    assert events == []


def test_a_rehash_on_sign_in_keeps_the_tokens(person, events):
    # A hash Django considers outdated (too short a salt): checking the password re-hashes it.
    outdated = make_password(PASSWORD, salt="ab", hasher="md5")
    type(person).objects.filter(pk=person.pk).update(password=outdated)
    person.refresh_from_db()
    _token, key = make_api_token(person)

    assert person.check_password(PASSWORD)  # re-hashes and saves the password field only

    person.refresh_from_db()
    assert person.password != outdated
    assert person.check_password(PASSWORD)
    assert _works(key)
    assert events == []


def test_deactivation_revokes_them(person, events):
    _token, key = make_api_token(person)

    person.is_active = False
    person.save()

    assert not ApiToken.objects.filter(user=person).exists()
    person.is_active = True
    person.save()
    assert not _works(key)  # back on: the old token stays revoked
    assert [e["detail"]["reason"] for e in events] == ["deactivated"]


def test_a_change_of_both_names_both_reasons(person, events):
    make_api_token(person)

    person.set_password("a-new-passphrase-2")
    person.is_active = False
    person.save()

    assert events[0]["detail"]["reason"] == "password_changed,deactivated"
    assert not ApiToken.objects.filter(user=person).exists()
