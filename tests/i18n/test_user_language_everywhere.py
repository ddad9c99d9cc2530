"""The user's language reaches what is not a page: API answers, report defaults, spreadsheets,
form hints and validator messages (translated whole, fragments included)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from documents.forms import DocumentUploadForm
from imports.workbooks import template_xlsx
from miniprograms.validators import validate_appid
from reports import api as reports_api
from tests.factories import make_api_token

pytestmark = pytest.mark.django_db


def _token_client(user) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {make_api_token(user)[1]}")
    return c


def test_api_token_answers_in_the_users_language(manager):
    manager.language = "zh-hans"
    manager.save()

    response = _token_client(manager).post(
        "/api/v1/reports/", {"kind": "dossier", "operator": 999999}, format="json"
    )

    assert response.status_code == 404
    assert "主办单位" in response.json()["detail"]


def test_api_report_language_defaults_to_the_users(manager, monkeypatch):
    manager.language = "zh-hans"
    manager.save()
    asked = {}

    def spy(**kwargs):
        asked.update(kwargs)
        raise reports_api.Operator.DoesNotExist

    monkeypatch.setattr(reports_api.services, "report_run_create", spy)
    _token_client(manager).post("/api/v1/reports/", {"kind": "portfolio"}, format="json")
    assert asked["language"] == "zh-hans"

    asked.clear()
    _token_client(manager).post(
        "/api/v1/reports/", {"kind": "portfolio", "language": "en"}, format="json"
    )
    assert asked["language"] == "en"  # an explicit choice still wins


def test_report_page_preselects_the_users_language(client, manager):
    manager.language = "zh-hans"
    manager.save()
    client.force_login(manager)

    html = client.get(reverse("reports:index")).content.decode()

    assert '<option value="zh-hans" lang="zh-Hans" selected>' in html
    assert '<option value="en" lang="en" >' in html


def test_chinese_import_template_notes_are_chinese():
    book = load_workbook(io.BytesIO(template_xlsx("zh-hans")))
    notes = " ".join(str(c.value or "") for row in book["说明"].iter_rows() for c in row)

    assert "18 位；个人留空" in notes
    assert "individuals" not in notes
    english = load_workbook(io.BytesIO(template_xlsx("en")))["Instructions"]
    assert "empty for individuals" in " ".join(
        str(c.value or "") for row in english.iter_rows() for c in row
    )


def test_upload_hint_follows_the_active_language(operator):
    with translation.override("zh-hans"):
        zh = str(DocumentUploadForm(operator=operator).fields["file"].help_text)
    with translation.override("en"):
        en = str(DocumentUploadForm(operator=operator).fields["file"].help_text)

    assert zh == "PDF、JPG 或 PNG，最大 5 MB。"
    assert en == "PDF, JPG or PNG, at most 5 MB."


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "这不像是抖音的 AppID：应为 tt 后跟 16 位字母或数字。"),
        (
            "en",
            "This does not look like a Douyin AppID: expected tt followed by 16 letters or digits.",
        ),
    ],
)
def test_appid_message_is_translated_whole(language, expected):
    with translation.override(language), pytest.raises(ValidationError) as excinfo:
        validate_appid("douyin", "xx")
    with translation.override(language):
        assert excinfo.value.messages == [expected]
