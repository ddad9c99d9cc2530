"""The "API tokens" page, linked from the profile: list (never a key), create (the key shown
once), revoke one, revoke all; another person's token is a 404 and stays."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.factories import make_api_token
from tokens.models import ApiToken


def _client(user) -> Client:
    c = Client(enforce_csrf_checks=False)
    c.force_login(user)
    return c


def test_the_profile_links_to_the_page(person):
    page = _client(person).get(reverse("accounts:profile"))
    assert reverse("tokens:list") in page.content.decode()


def test_the_page_needs_a_signed_in_user(db):
    answer = Client().get(reverse("tokens:list"))
    assert answer.status_code == 302
    assert reverse("tokens:list") in answer["Location"]


def test_the_page_lists_own_tokens_without_keys(person, other_manager):
    mine, my_key = make_api_token(person, name="备份脚本")
    theirs, _ = make_api_token(other_manager, name="someone else's")

    page = _client(person).get(reverse("tokens:list")).content.decode()

    assert "备份脚本" in page
    assert f'data-testid="token-{mine.pk}"' in page
    assert "someone else&#x27;s" not in page
    assert f"token-{theirs.pk}" not in page
    assert my_key not in page


def test_create_shows_the_key_once(person, events):
    c = _client(person)

    created = c.post(reverse("tokens:create"), {"name": "导出"})

    assert created.status_code == 200
    token = ApiToken.objects.get(user=person)
    assert token.name == "导出"
    key = created.context["new_key"]
    assert key
    assert key in created.content.decode()
    assert key not in c.get(reverse("tokens:list")).content.decode()
    assert events[0]["action"] == "token_created"
    assert events[0]["detail"]["via"] == "page"


def test_create_without_a_name_gets_a_dated_one(person):
    _client(person).post(reverse("tokens:create"), {"name": ""})
    assert ApiToken.objects.get(user=person).name.startswith("API token of ")


def test_the_page_speaks_the_users_language(person):
    person.language = "zh-hans"
    person.save()
    page = _client(person).get(reverse("tokens:list")).content.decode()
    assert '<html lang="zh-hans">' in page  # the strings' Chinese comes with the catalogs


def test_revoke_one(person):
    gone, _gone_key = make_api_token(person)
    kept, _ = make_api_token(person)

    answer = _client(person).post(reverse("tokens:revoke", args=[gone.pk]))

    assert answer.status_code == 302
    assert list(ApiToken.objects.filter(user=person)) == [kept]


def test_revoking_another_persons_token_is_404_and_it_stays(person, other_manager):
    theirs, _ = make_api_token(other_manager)

    answer = _client(person).post(reverse("tokens:revoke", args=[theirs.pk]))

    assert answer.status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_revoke_all_leaves_others_tokens(person, other_manager):
    make_api_token(person)
    make_api_token(person)
    theirs, _ = make_api_token(other_manager)

    answer = _client(person).post(reverse("tokens:revoke_all"))

    assert answer.status_code == 302
    assert not ApiToken.objects.filter(user=person).exists()
    assert list(ApiToken.objects.all()) == [theirs]


def test_revoking_needs_a_post(person):
    token, _ = make_api_token(person)
    assert _client(person).get(reverse("tokens:revoke", args=[token.pk])).status_code == 405
    assert ApiToken.objects.filter(pk=token.pk).exists()
