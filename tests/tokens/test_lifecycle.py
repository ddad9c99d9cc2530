"""A token's life: created (key shown once, only its digest stored), used, listed without its
key, revoked or expired (401 with a reason), purged; another person's token is a 404."""

from __future__ import annotations

import datetime
import hashlib

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core import purge
from tests.factories import make_api_token
from tokens.models import ApiToken

from .conftest import PASSWORD


def _with_key(key: str) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return c


def _sign_in(username: str, password: str = PASSWORD, **extra):
    return APIClient().post(
        reverse("api-token"), {"username": username, "password": password, **extra}
    )


def test_created_used_revoked_answers_401(person, events):
    created = _sign_in(person.username, name="nightly export")
    assert created.status_code == 200
    body = created.json()
    assert set(body) >= {"token", "id", "name", "expiry"}
    assert body["name"] == "nightly export"
    key = body["token"]

    assert _with_key(key).get(reverse("organization-list")).status_code == 200

    revoked = _with_key(key).delete(reverse("api-token-detail", args=[body["id"]]))
    assert revoked.status_code == 204
    assert not ApiToken.objects.filter(pk=body["id"]).exists()

    refused = _with_key(key).get(reverse("organization-list"))
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == "Token"
    assert refused.json()["detail"] == "Invalid or revoked API token."
    assert [e["action"] for e in events] == ["token_created", "token_revoked"]
    assert events[0]["actor"] == person
    assert events[1]["detail"]["reason"] == "revoked"


def test_a_new_token_expires_after_the_configured_days(person, time_machine):
    time_machine.move_to("2026-01-10T08:00:00Z", tick=False)
    body = _sign_in(person.username).json()
    token = ApiToken.objects.get(pk=body["id"])
    assert token.expiry == timezone.now() + datetime.timedelta(days=90)

    time_machine.move_to("2026-04-10T07:59:00Z", tick=False)  # 89 days 23:59 later
    assert _with_key(body["token"]).get(reverse("organization-list")).status_code == 200

    time_machine.move_to("2026-04-10T08:00:01Z", tick=False)
    refused = _with_key(body["token"]).get(reverse("organization-list"))
    assert refused.status_code == 401
    assert refused.json()["detail"] == "This API token has expired. Create a new one."


def test_the_ttl_comes_from_the_settings(person, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": datetime.timedelta(days=7)}
    body = _sign_in(person.username).json()
    token = ApiToken.objects.get(pk=body["id"])
    assert token.expiry is not None
    assert abs(token.expiry - (timezone.now() + datetime.timedelta(days=7))).total_seconds() < 60


def test_only_the_digest_of_a_key_is_stored(person):
    key = _sign_in(person.username).json()["token"]

    row = ApiToken.objects.values().get()
    assert row["digest"] == hashlib.sha512(key.encode()).hexdigest()
    assert not any(key in str(value) for value in row.values())
    assert row["token_key"] == key[:15]  # knox's lookup prefix, not enough to sign in


def test_the_list_shows_own_tokens_without_keys(person, other_manager):
    _mine, my_key = make_api_token(person, name="mine")
    make_api_token(other_manager, name="theirs")

    listed = _with_key(my_key).get(reverse("api-token-list"))

    assert listed.status_code == 200
    assert [t["name"] for t in listed.json()] == ["mine"]
    assert set(listed.json()[0]) == {
        "id",
        "name",
        "created",
        "expiry",
        "last_used_at",
        "created_from",
        "expired",
    }
    assert my_key not in listed.content.decode()


def test_create_through_the_api_shows_the_key_once(person):
    _first, key = make_api_token(person)

    created = _with_key(key).post(reverse("api-token-list"), {"name": "ci"}, format="json")

    assert created.status_code == 201
    new_key = created.json()["token"]
    assert (
        _with_key(new_key)
        .get(reverse("api-token-detail", args=[created.json()["id"]]))
        .json()["name"]
        == "ci"
    )
    assert "token" not in _with_key(new_key).get(reverse("api-token-list")).json()[0]


def test_another_persons_token_is_404_and_stays(person, other_manager):
    _mine, key = make_api_token(person)
    theirs, their_key = make_api_token(other_manager)
    url = reverse("api-token-detail", args=[theirs.pk])

    assert _with_key(key).get(url).status_code == 404
    assert _with_key(key).delete(url).status_code == 404

    assert ApiToken.objects.filter(pk=theirs.pk).exists()
    assert _with_key(their_key).get(reverse("organization-list")).status_code == 200


def test_revoke_all_through_the_api(person, other_manager, events):
    make_api_token(person)
    _second, key = make_api_token(person)
    _theirs, their_key = make_api_token(other_manager)

    answer = _with_key(key).delete(reverse("api-token-list"))

    assert answer.status_code == 200
    assert answer.json() == {"revoked": 2}
    assert not ApiToken.objects.filter(user=person).exists()
    assert _with_key(key).get(reverse("organization-list")).status_code == 401
    assert _with_key(their_key).get(reverse("organization-list")).status_code == 200
    assert events[-1]["action"] == "token_revoked"
    assert events[-1]["detail"]["count"] == 2


def test_logout_revokes_only_the_token_used(person):
    _used, key = make_api_token(person)
    kept, kept_key = make_api_token(person)

    assert _with_key(key).post(reverse("api-logout")).status_code == 204

    assert _with_key(key).get(reverse("organization-list")).status_code == 401
    assert list(ApiToken.objects.filter(user=person)) == [kept]
    assert _with_key(kept_key).get(reverse("organization-list")).status_code == 200


def test_logout_without_a_token_is_401_and_revokes_nothing(person):
    make_api_token(person)
    c = APIClient()
    c.force_login(person)

    assert c.post(reverse("api-logout")).status_code == 401
    assert ApiToken.objects.filter(user=person).count() == 1


def test_last_used_is_written_at_most_once_a_minute(person, time_machine):
    time_machine.move_to("2026-03-01T08:00:00Z", tick=False)
    token, key = make_api_token(person)
    assert token.last_used_at is None

    _with_key(key).get(reverse("organization-list"))
    token.refresh_from_db()
    first = token.last_used_at
    assert first == timezone.now()

    time_machine.move_to("2026-03-01T08:00:59Z", tick=False)
    _with_key(key).get(reverse("organization-list"))
    token.refresh_from_db()
    assert token.last_used_at == first

    time_machine.move_to("2026-03-01T08:01:00Z", tick=False)
    _with_key(key).get(reverse("organization-list"))
    token.refresh_from_db()
    assert token.last_used_at == timezone.now()


def test_an_inactive_users_token_is_401(person):
    _token, key = make_api_token(person)
    type(person).objects.filter(pk=person.pk).update(is_active=False)  # behind the receivers

    refused = _with_key(key).get(reverse("organization-list"))

    assert refused.status_code == 401
    assert refused.json()["detail"] == "This account is deactivated."


def test_a_malformed_header_is_401(db):
    refused = APIClient().get(reverse("organization-list"), HTTP_AUTHORIZATION="Token two words")
    assert refused.status_code == 401


def test_expired_tokens_are_purged_by_the_registry(person, time_machine):
    time_machine.move_to("2026-01-01T00:00:00Z", tick=False)
    old, _ = make_api_token(person, expiry=timezone.now() - datetime.timedelta(seconds=1))
    fresh, _ = make_api_token(person)

    assert "api-tokens" in purge.registered()
    assert purge.purge(only=["api-tokens"]) == {"api-tokens": 1}

    assert list(ApiToken.objects.all()) == [fresh]
    assert not ApiToken.objects.filter(pk=old.pk).exists()
    assert purge.purge(only=["api-tokens"]) == {"api-tokens": 0}  # safe to run again
