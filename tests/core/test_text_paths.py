"""The same text rule through the form, the API and the import: CR/LF refused in a name,
an RTL override (U+202E) and a zero-width space (U+200B) stripped, with the same message or
the same stored value whichever way the value came in."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from compliance.models import ComplianceItem
from filings.models import FilingComment, FilingStatus, FilingStatusChange, RejectionReason
from miniprograms.models import MiniProgram, Operator
from tests.compliance.worklist_helpers import open_item, today
from tests.factories import FilingFactory, MiniProgramFactory, make_staff, valid_uscc

from ..imports.helpers import xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_tasks_run_at_once")]

LINE_BREAK = "This field is a single line: remove the line break at position 3."

# (typed value, stored value or None when refused)
NAME_CASES = {
    "crlf": ("鹏程\r\n商城", None),
    "rtl_override": ("鹏程\u202e商城", "鹏程商城"),
    "zero_width": ("鹏程\u200b商城", "鹏程商城"),
}
OPERATOR_CASES = {
    "crlf": ("深圳\r\n测试科技有限公司", None),
    "rtl_override": ("深圳\u202e测试科技有限公司", "深圳测试科技有限公司"),
    "zero_width": ("\u200b深圳测试\u200b科技有限公司", "深圳测试科技有限公司"),
}
APPID = "wx1234567890abcdef"
USCC = valid_uscc(9101)


@pytest.fixture
def client_for():
    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make


def _errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def _import(api, user, sheets):
    """Preview then commit a workbook; the preview's errors as (sheet, row, field, reason)."""
    c = api(user)
    created = c.post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("t.xlsx", xlsx(sheets))},
        format="multipart",
    )
    assert created.status_code == 202
    run = c.get(f"/api/v1/imports/{created.json()['id']}/").json()  # checked by the worker
    errors = [(e["sheet"], e["row"], e["field"], e["reason"]) for e in run["errors"]]
    if run["status"] == "valid":
        assert c.post(f"/api/v1/imports/{run['id']}/commit/").status_code in (200, 202)
    return errors


# -- mini-program name


@pytest.mark.parametrize("case", NAME_CASES)
def test_miniprogram_name_through_the_form(case, client_for, editor, operator):
    typed, stored = NAME_CASES[case]
    data = {"operator": operator.pk, "name": typed, "kind": "miniprogram",
            "platform": "wechat", "appid": APPID, "lifecycle": "live"}  # fmt: skip
    response = client_for(editor).post(reverse("dashboard:miniprogram_create"), data)
    if stored is None:
        assert response.status_code == 200
        assert _errors(response, "name") == [LINE_BREAK]
        assert not MiniProgram.objects.exists()
    else:
        assert response.status_code == 302
        assert MiniProgram.objects.get().name == stored


@pytest.mark.parametrize("case", NAME_CASES)
def test_miniprogram_name_through_the_api(case, api, manager, operator):
    typed, stored = NAME_CASES[case]
    response = api(manager).post(
        reverse("miniprogram-list"),
        {"operator": operator.pk, "name": typed, "platform": "wechat", "appid": APPID},
        format="json",
    )
    if stored is None:
        assert response.status_code == 400
        assert response.json() == {"name": [LINE_BREAK]}
        assert not MiniProgram.objects.exists()
    else:
        assert response.status_code == 201
        assert response.json()["name"] == stored
        assert MiniProgram.objects.get().name == stored


@pytest.mark.parametrize("case", NAME_CASES)
def test_miniprogram_name_through_the_import(case, api, manager, operator):
    typed, stored = NAME_CASES[case]
    sheets = {
        "Mini-programs and apps": [
            ["operator", "name", "platform", "appid", "lifecycle"],
            [operator.uscc, typed, "微信", APPID, "已上线"],
        ]
    }
    errors = _import(api, manager, sheets)
    if stored is None:
        assert errors == [("Mini-programs and apps", 2, "name", LINE_BREAK)]
        assert not MiniProgram.objects.exists()
    else:
        assert errors == []
        assert MiniProgram.objects.get().name == stored


# -- operator name


def _operator_data(org, name):
    return {"organization": org.pk, "name_zh": name, "entity_type": "4", "uscc": USCC,
            "province": "440000"}  # fmt: skip


@pytest.mark.parametrize("case", OPERATOR_CASES)
def test_operator_name_through_the_form(case, client_for, manager, org):
    typed, stored = OPERATOR_CASES[case]
    response = client_for(manager).post(
        reverse("dashboard:operator_create"), _operator_data(org, typed)
    )
    if stored is None:
        assert response.status_code == 200
        assert _errors(response, "name_zh") == [LINE_BREAK]
        assert not Operator.objects.exists()
    else:
        assert response.status_code == 302
        assert Operator.objects.get().name_zh == stored


@pytest.mark.parametrize("case", OPERATOR_CASES)
def test_operator_name_through_the_api(case, api, manager, org):
    typed, stored = OPERATOR_CASES[case]
    response = api(manager).post(
        reverse("operator-list"), _operator_data(org, typed), format="json"
    )
    if stored is None:
        assert response.status_code == 400
        assert response.json() == {"name_zh": [LINE_BREAK]}
        assert not Operator.objects.exists()
    else:
        assert response.status_code == 201
        assert Operator.objects.get().name_zh == stored


@pytest.mark.parametrize("case", OPERATOR_CASES)
def test_operator_name_through_the_import(case, api, manager, org):
    typed, stored = OPERATOR_CASES[case]
    sheets = {
        "operators": [
            ["name_zh", "entity_type", "uscc", "province"],
            [typed, "企业", USCC, "广东"],
        ]
    }
    errors = _import(api, manager, sheets)
    if stored is None:
        assert errors == [("operators", 2, "name_zh", LINE_BREAK)]
        assert not Operator.objects.exists()
    else:
        assert errors == []
        assert Operator.objects.get().name_zh == stored


# -- a comment (multi-line: a line break is kept, a control character refused)

ESC_REFUSED = "Remove the control character U+001B (ESC) at position 4."
COMMENT_CASES = {
    "crlf": ("已联系\r\n阿里云", "已联系\n阿里云"),
    "rtl_override": ("已联系\u202e阿里云", "已联系阿里云"),
    "zero_width": ("已联系\u200b阿里云", "已联系阿里云"),
    "escape": ("已联系\x1b[31m阿里云", None),
}


@pytest.fixture
def filing(operator):
    return FilingFactory(miniprogram=MiniProgramFactory(operator=operator))


@pytest.mark.parametrize("case", COMMENT_CASES)
def test_comment_through_the_form(case, client_for, manager, filing):
    typed, stored = COMMENT_CASES[case]
    url = reverse("dashboard:filing_comment", args=[filing.pk])
    response = client_for(manager).post(url, {"body": typed})
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    if stored is None:
        assert shown == [ESC_REFUSED]
        assert not FilingComment.objects.exists()
    else:
        assert FilingComment.objects.get().body == stored


@pytest.mark.parametrize("case", COMMENT_CASES)
def test_comment_through_the_api(case, api, manager, filing):
    typed, stored = COMMENT_CASES[case]
    url = reverse("filing-comments", args=[filing.pk])
    response = api(manager).post(url, {"body": typed}, format="json")
    if stored is None:
        assert response.status_code == 400
        assert response.json() == {"body": [ESC_REFUSED]}
        assert not FilingComment.objects.exists()
    else:
        assert response.status_code == 201
        assert FilingComment.objects.get().body == stored


# -- a snooze reason (single line)

REASON_CASES = {
    "crlf": ("等待\r\n注册商", None),
    "rtl_override": ("等待\u202e注册商", "等待注册商"),
    "zero_width": ("等待\u200b注册商", "等待注册商"),
}
UNTIL = (today() + datetime.timedelta(days=7)).isoformat()


@pytest.mark.parametrize("case", REASON_CASES)
def test_snooze_reason_through_the_worklist_page(case, client_for, editor, operator):
    typed, stored = REASON_CASES[case]
    item = open_item(operator)
    response = client_for(editor).post(
        reverse("dashboard:worklist_action"),
        {"action": "snooze", "ids": [item.pk], "until": UNTIL, "reason": typed},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    if stored is None:
        assert [str(m) for m in get_messages(response.wsgi_request)] == [LINE_BREAK]
        assert (item.snoozed_until, item.snooze_reason) == (None, "")
    else:
        assert (item.snoozed_until.isoformat(), item.snooze_reason) == (UNTIL, stored)


@pytest.mark.parametrize("case", REASON_CASES)
def test_snooze_reason_through_the_api(case, api, editor, operator):
    typed, stored = REASON_CASES[case]
    item = open_item(operator)
    url = reverse("compliance-item-snooze", args=[item.pk])
    response = api(editor).post(url, {"until": UNTIL, "reason": typed}, format="json")
    item = ComplianceItem.objects.get(pk=item.pk)
    if stored is None:
        assert response.status_code == 400
        assert response.json()["reason"] == [LINE_BREAK]
        assert (item.snoozed_until, item.snooze_reason) == (None, "")
    else:
        assert response.status_code == 200
        assert item.snooze_reason == stored


# -- control characters in an import cell


def test_nul_and_control_characters_in_cells_are_row_errors_naming_row_and_column(
    api, manager, org
):
    csv_text = (
        "name_zh,entity_type,uscc,province\n"
        f"好公司,企业,{valid_uscc(9102)},广东\n"
        f"坏\x00公司,企业,{valid_uscc(9103)},广东\n"
        f"另一家公司,企\x1b业,{valid_uscc(9104)},广东\n"
    )
    c = api(manager)
    response = c.post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("ops.csv", csv_text.encode())},
        format="multipart",
    )
    assert response.status_code == 202
    run = c.get(f"/api/v1/imports/{response.json()['id']}/").json()  # checked by the worker
    assert run["status"] == "invalid"
    assert [(e["row"], e["field"], e["reason"]) for e in run["errors"]] == [
        (3, "name_zh", "Remove the control character U+0000 (NUL) at position 2."),
        (4, "entity_type", "Remove the control character U+001B (ESC) at position 2."),
    ]
    assert not Operator.objects.exists()


def test_import_reads_choice_and_operator_cells_without_their_invisible_characters(
    api, manager, operator
):
    sheets = {
        "Mini-programs and apps": [
            ["operator", "name", "platform", "appid", "lifecycle"],
            [f"\u200b{operator.uscc}", "鹏程商城", "微\u200d信", APPID, "已上线\u202c"],
            ["\u200b", "鹏程商城二", "微信", "wx1234567890abcdee", "已上线"],
        ]
    }
    errors = _import(api, manager, sheets)
    assert errors == [("Mini-programs and apps", 3, "operator", "This cell is required.")]
    assert not MiniProgram.objects.exists()  # the file is all or nothing

    del sheets["Mini-programs and apps"][2]
    assert _import(api, manager, sheets) == []
    mp = MiniProgram.objects.get()
    assert (mp.operator_id, mp.platform, mp.lifecycle) == (operator.pk, "wechat", "live")


# -- rejection reasons and a status-change note (multi-line)


def test_rejection_reasons_and_note_are_cleaned_or_refused_with_the_field(api, manager, operator):
    filing = FilingFactory(
        miniprogram=MiniProgramFactory(operator=operator), status=FilingStatus.PROVIDER_REVIEW
    )
    url = reverse("filing-transition", args=[filing.pk])
    refused = api(manager).post(
        url,
        {"to": "provider_rejected", "note": "补\x1b充",
         "reasons": [{"field": "service_name", "error": "含敏感词"}]},
        format="json",
    )  # fmt: skip
    assert refused.status_code == 400
    assert refused.json() == {"note": ["Remove the control character U+001B (ESC) at position 2."]}
    assert not FilingStatusChange.objects.filter(filing=filing).exists()
    filing.refresh_from_db()
    assert filing.status == FilingStatus.PROVIDER_REVIEW
    assert not RejectionReason.objects.filter(status_change__filing=filing).exists()

    ok = api(manager).post(
        url,
        {"to": "provider_rejected", "note": "请\u200b补充\r\n材料",
         "reasons": [{"field": "service_name", "error": "含敏感\u202e词\r\n见附件",
                      "suggestion": "\ufeff改名"}]},
        format="json",
    )  # fmt: skip
    assert ok.status_code == 200
    change = FilingStatusChange.objects.get(filing=filing)
    assert change.note == "请补充\n材料"
    reason = RejectionReason.objects.get(status_change=change)
    assert (reason.error, reason.suggestion) == ("含敏感词\n见附件", "改名")


# -- the admin (its ModelForm's full_clean, then the service)


@pytest.mark.parametrize("case", OPERATOR_CASES)
def test_operator_name_through_the_admin(case, client, org, operator):
    typed, stored = OPERATOR_CASES[case]
    client.force_login(make_staff(org, Role.MANAGER))
    url = reverse("admin:miniprograms_operator_change", args=[operator.pk])
    data = {"name_zh": typed, "name_en": "", "entity_type": operator.entity_type,
            "uscc": operator.uscc, "province": operator.province_id, "address": "",
            "entity_number": ""}  # fmt: skip
    before = operator.name_zh
    response = client.post(url, data)
    operator.refresh_from_db()
    if stored is None:
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["name_zh"] == [LINE_BREAK]
        assert operator.name_zh == before
    else:
        assert response.status_code == 302
        assert operator.name_zh == stored
