"""Comments on an application: editors write them, everyone in scope reads them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.exceptions import PermissionDeniedError
from filings.models import FilingComment
from filings.services import filing_comment_add
from tests.factories import FilingFactory, MiniProgramFactory


@pytest.fixture
def filing(operator):
    return FilingFactory(miniprogram=MiniProgramFactory(operator=operator))


def test_service_adds_and_validates(filing, editor, viewer):
    c = filing_comment_add(user=editor, filing=filing, body="  已电话联系阿里云初审 ")
    assert (c.body, c.author) == ("已电话联系阿里云初审", editor)
    with pytest.raises(ValidationError):
        filing_comment_add(user=editor, filing=filing, body="   ")
    with pytest.raises(PermissionDeniedError):
        filing_comment_add(user=viewer, filing=filing, body="x")
    assert FilingComment.objects.filter(filing=filing).count() == 1


def test_page_posts_and_shows_comments(filing, client, manager, viewer, other_manager):
    url = reverse("dashboard:filing_comment", args=[filing.pk])
    detail = reverse("dashboard:filing_detail", args=[filing.pk])
    client.force_login(other_manager)
    assert client.post(url, {"body": "偷看"}).status_code == 404
    client.force_login(viewer)
    assert client.post(url, {"body": "只读"}).status_code == 403
    assert 'data-testid="post-comment"' not in client.get(detail).content.decode()
    client.force_login(manager)
    assert client.post(url, {"body": "管局要求补充授权书"}).status_code == 302
    assert "管局要求补充授权书" in client.get(detail).content.decode()
    assert list(FilingComment.objects.values_list("body", flat=True)) == ["管局要求补充授权书"]


def test_api_comment_and_detail(filing, api, manager, other_manager):
    url = reverse("filing-comments", args=[filing.pk])
    assert api(other_manager).post(url, {"body": "x"}, format="json").status_code == 404
    created = api(manager).post(url, {"body": "已补充材料"}, format="json")
    assert created.status_code == 201
    assert created.json()["author"] == manager.username
    assert api(manager).post(url, {"body": ""}, format="json").status_code == 400
    detail = api(manager).get(reverse("filing-detail", args=[filing.pk])).json()
    assert [c["body"] for c in detail["comments"]] == ["已补充材料"]
