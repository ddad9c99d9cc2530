"""Idempotent submissions: the same key makes one row; another key, or none, makes another."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import purge
from core.idempotency import FIELD, HEADER, idempotency_keys_purge, idempotent_create
from core.models import IdempotencyKey
from filings.models import FilingApplication, FilingComment
from filings.services import filing_comment_add
from tests.factories import FilingFactory, IdempotencyKeyFactory, MiniProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def filing(operator):
    return FilingFactory(miniprogram=MiniProgramFactory(operator=operator))


def test_same_key_returns_the_first_comment_and_another_key_adds_one(filing, editor):
    first = filing_comment_add(user=editor, filing=filing, body="第一条", idempotency_key="k1")
    again = filing_comment_add(user=editor, filing=filing, body="第一条", idempotency_key="k1")
    other = filing_comment_add(user=editor, filing=filing, body="第二条", idempotency_key="k2")
    plain = filing_comment_add(user=editor, filing=filing, body="第三条")

    assert again.pk == first.pk
    assert len({first.pk, other.pk, plain.pk}) == 3
    assert FilingComment.objects.filter(filing=filing).count() == 3
    assert IdempotencyKey.objects.filter(user=editor).count() == 2


def test_a_refused_submission_leaves_its_key_free_for_the_corrected_one(filing, editor):
    with pytest.raises(ValidationError):
        filing_comment_add(user=editor, filing=filing, body="  ", idempotency_key="k1")
    assert IdempotencyKey.objects.count() == 0

    comment = filing_comment_add(user=editor, filing=filing, body="改好了", idempotency_key="k1")

    assert list(FilingComment.objects.values_list("pk", flat=True)) == [comment.pk]


def test_keys_are_per_user(filing, editor, manager):
    mine = filing_comment_add(user=editor, filing=filing, body="a", idempotency_key="same")
    theirs = filing_comment_add(user=manager, filing=filing, body="b", idempotency_key="same")

    assert mine.pk != theirs.pk
    assert FilingComment.objects.count() == 2


def test_a_key_claimed_without_object_is_a_conflict(editor):
    from core.exceptions import ConflictError

    IdempotencyKeyFactory(user=editor, scope="s", key="k", object_id=None)
    made: list[FilingComment] = []

    def create() -> FilingComment:
        made.append(FilingComment())
        return made[-1]

    with pytest.raises(ConflictError), transaction.atomic():
        idempotent_create(
            user=editor,
            scope="s",
            key="k",
            create=create,
            load=lambda pk: FilingComment.objects.get(pk=pk),
        )
    assert made == []


def test_comment_page_double_submit_makes_one_comment(client, editor, filing):
    client.force_login(editor)
    detail = reverse("dashboard:filing_detail", args=[filing.pk])
    page = client.get(detail).content.decode()
    assert f'name="{FIELD}"' in page
    key = page.split(f'name="{FIELD}" value="')[1].split('"')[0]
    url = reverse("dashboard:filing_comment", args=[filing.pk])

    first = client.post(url, {"body": "材料已补", FIELD: key})
    second = client.post(url, {"body": "材料已补", FIELD: key})

    assert (first.status_code, second.status_code) == (302, 302)
    assert first["Location"] == second["Location"]
    assert list(FilingComment.objects.values_list("body", flat=True)) == ["材料已补"]


def test_a_tampered_key_is_refused_on_the_page_and_in_the_api(client, api, editor, filing):
    client.force_login(editor)

    page = client.post(
        reverse("dashboard:filing_comment", args=[filing.pk]), {"body": "x", FIELD: "<bad key>"}
    )
    response = api(editor).post(
        reverse("filing-comments", args=[filing.pk]),
        {"body": "x"},
        format="json",
        headers={HEADER: "x" * 65},
    )

    assert page.status_code == 302
    assert response.status_code == 400
    assert FilingComment.objects.count() == 0


def test_api_comment_retried_with_the_key_gets_the_same_answer(api, editor, filing):
    url = reverse("filing-comments", args=[filing.pk])

    first = api(editor).post(url, {"body": "重试"}, format="json", headers={HEADER: "c-1"})
    second = api(editor).post(url, {"body": "重试"}, format="json", headers={HEADER: "c-1"})

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert FilingComment.objects.count() == 1


def test_new_draft_form_double_submit_makes_one_draft(client, editor, operator):
    client.force_login(editor)
    page = client.get(reverse("dashboard:filing_create")).content.decode()
    key = page.split(f'name="{FIELD}" value="')[1].split('"')[0]
    data = {"operator": operator.pk, "kind": "new_filing", "channel": "wechat", FIELD: key}

    first = client.post(reverse("dashboard:filing_create"), data)
    second = client.post(reverse("dashboard:filing_create"), data)

    draft = FilingApplication.objects.get()
    assert (first.status_code, second.status_code) == (302, 302)
    assert first["Location"] == second["Location"] == f"/filings/{draft.pk}/"
    # A fresh form has a fresh key.
    again = client.get(reverse("dashboard:filing_create")).content.decode()
    assert key not in again


def test_purge_forgets_only_keys_older_than_a_day(editor, settings):
    settings.IDEMPOTENCY_KEY_TTL = 24 * 60 * 60
    old = IdempotencyKeyFactory(user=editor)
    recent = IdempotencyKeyFactory(user=editor)
    IdempotencyKey.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )

    assert purge.purge(only=["idempotency-keys"]) == {"idempotency-keys": 1}
    assert idempotency_keys_purge() == 0
    assert list(IdempotencyKey.objects.values_list("pk", flat=True)) == [recent.pk]
