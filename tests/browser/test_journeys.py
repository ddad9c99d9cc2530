"""End-to-end journeys in Chromium against a live server with seed_demo's portfolio."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from filings.models import FilingApplication, FilingStatus
from miniprograms.models import Operator
from tests.factories import make_notification, valid_uscc

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback: the flush after each test would otherwise drop the seeded
    # reference data (provinces, TLDs) that later tests need.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _url(live_server, name: str, *args) -> str:
    return live_server.url + reverse(name, args=args)


def _stage_count(page: Page, label: str) -> int:
    row = page.locator("#chart-filing-stages table tr", has=page.locator("th", has_text=label))
    text = row.locator("td").text_content()
    assert text is not None
    return int(text)


def _transition(page: Page, to_status: str, **fields: str) -> None:
    page.get_by_test_id(f"action-{to_status}").click()
    for name, value in fields.items():
        page.locator(f'[name="{name}"]').fill(value)
    page.get_by_test_id("confirm-transition").click()
    expect(page.get_by_test_id("filing-status")).to_have_attribute("data-status", to_status)


def test_sign_in(page: Page, live_server, demo, shot):
    page.goto(_url(live_server, "dashboard:overview"))
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))

    page.fill('input[name="login"]', "agency_manager")
    page.fill('input[name="password"]', "wrong-password")
    page.locator("#login-form [type=submit]").click()
    expect(page.locator("#login-form")).to_contain_text("password you specified are not correct")

    page.fill('input[name="password"]', "demo-pass-2024")
    page.locator("#login-form [type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("h1")).to_contain_text("Overview")
    expect(page.get_by_test_id("user-menu")).to_contain_text("王")
    shot("overview")


def test_switch_language(page: Page, live_server, demo, login, shot):
    login("agency_manager")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.locator("#language-select").select_option("zh-hans")
    page.locator("#language-switcher [type=submit]").click()

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_test_id("nav-overview")).to_have_text("概览")
    expect(page.locator("h1")).to_contain_text("概览")
    shot("overview-zh-hans")


def test_create_operator_invalid_then_valid_uscc(page: Page, live_server, demo, login, shot):
    login("agency_manager")
    page.goto(_url(live_server, "dashboard:operator_create"))
    page.locator('[name="name_zh"]').fill("深圳市新开科技有限公司")
    page.locator('[name="province"]').select_option("440000")
    page.locator('[name="uscc"]').fill("91440300MA5G0000X1")  # wrong check character

    page.locator("#save-button").click()

    error = page.locator("#field-uscc .errorlist")
    expect(error).to_be_visible()
    expect(error).to_contain_text("check character")
    expect(page.locator("#field-uscc")).to_have_class(re.compile("has-error"))
    shot("operator-invalid-uscc")
    assert not Operator.objects.filter(name_zh="深圳市新开科技有限公司").exists()

    page.locator('[name="uscc"]').fill(valid_uscc(424242))
    page.locator("#save-button").click()

    created = Operator.objects.get(name_zh="深圳市新开科技有限公司")
    expect(page).to_have_url(_url(live_server, "dashboard:operator_detail", created.pk))
    expect(page.get_by_test_id("messages")).to_contain_text("深圳市新开科技有限公司")


def test_miniprogram_filing_from_draft_to_approved_changes_the_overview(
    page: Page, live_server, demo, login, shot
):
    filing = FilingApplication.objects.get(miniprogram__name="天府票务", status=FilingStatus.DRAFT)
    login("agency_manager")
    approved_before = _stage_count(page, "Approved")

    page.goto(_url(live_server, "dashboard:filing_detail", filing.pk))
    # The demo register has no uploads: the manager submits anyway, with a reason.
    _transition(page, FilingStatus.PROVIDER_REVIEW, readiness_override="材料已线下提交")
    _transition(page, FilingStatus.SMS_VERIFICATION)
    _transition(page, FilingStatus.AUTHORITY_REVIEW)
    _transition(page, FilingStatus.APPROVED, icp_number="蜀ICP备2023012345号-2X")

    expect(page.get_by_test_id("filing-number")).to_have_text("蜀ICP备2023012345号-2X")
    shot("filing-approved")
    page.goto(_url(live_server, "dashboard:overview"))
    assert _stage_count(page, "Approved") == approved_before + 1
    filing.refresh_from_db()
    assert filing.status == FilingStatus.APPROVED


def test_reject_with_reasons(page: Page, live_server, demo, login, shot):
    filing = FilingApplication.objects.get(
        miniprogram__name="鹏程会员", status=FilingStatus.AUTHORITY_REVIEW
    )
    login("agency_manager")
    page.goto(_url(live_server, "dashboard:filing_detail", filing.pk))

    page.get_by_test_id("action-authority_rejected").click()
    page.get_by_test_id("confirm-transition").click()  # no reason given: refused
    expect(page.locator("#rejection-reasons")).to_contain_text("This field is required")
    page.locator('[name="reasons-0-field"]').select_option("service_name")
    page.locator('[name="reasons-0-error"]').fill("名称与主体不符")
    page.locator('[name="reasons-0-suggestion"]').fill("改用“鹏程会员中心”")
    page.get_by_test_id("confirm-transition").click()

    expect(page.get_by_test_id("filing-status")).to_have_attribute(
        "data-status", FilingStatus.AUTHORITY_REJECTED
    )
    expect(page.locator("body")).to_contain_text("名称与主体不符")
    shot("filing-rejected")


def test_agency_cannot_see_another_agencys_client(page: Page, live_server, demo, login):
    client_op = Operator.objects.get(name_zh="深圳市鹏程网络科技有限公司")
    own_op = Operator.objects.get(name_zh="广州白云餐饮管理有限公司")
    login("rival_manager")

    page.goto(_url(live_server, "dashboard:operator_list"))
    expect(page.locator("main")).to_contain_text(own_op.name_zh)
    expect(page.locator("main")).not_to_contain_text(client_op.name_zh)

    for name in ("dashboard:operator_detail", "documents:checklist"):
        response = page.goto(_url(live_server, name, client_op.pk))
        assert response is not None
        assert response.status == 404, name
    response = page.goto(_url(live_server, "dashboard:operator_detail", 999_999))
    assert response is not None
    assert response.status == 404


def test_as_of_picker_moves_an_item_from_due_soon_to_overdue(
    page: Page, live_server, demo, login, shot
):
    # seed_demo: 杭州西湖数据's responsible person's ID expires in 20 days.
    login("agency_manager")
    item = 'tr[data-rule="person_id_expiry"]:has-text("杭州西湖数据有限公司")'
    expect(page.locator(f"#due-soon {item}")).to_have_count(1)
    expect(page.locator(f"#overdue {item}")).to_have_count(0)

    later = timezone.localdate() + datetime.timedelta(days=25)
    page.locator("#as-of").fill(later.isoformat())
    page.locator("#as-of-form [type=submit]").click()

    expect(page).to_have_url(re.compile(rf"as_of={later.isoformat()}"))
    expect(page.locator(f"#overdue {item}")).to_have_count(1)
    expect(page.locator(f"#due-soon {item}")).to_have_count(0)
    shot("overview-as-of")


def test_upload_a_missing_document(page: Page, live_server, demo, login, shot, tmp_path):
    operator = Operator.objects.get(name_zh="深圳市鹏程网络科技有限公司")
    login("agency_manager")
    page.goto(_url(live_server, "documents:checklist", operator.pk))
    licence = page.locator('#checklist tr[data-doc-type="business_licence"]')
    expect(licence).to_have_attribute("data-status", "missing")

    licence.get_by_role("link", name="Upload").click()
    expect(page.locator('[name="doc_type"]')).to_have_value("business_licence")
    bad = tmp_path / "licence.exe"
    bad.write_bytes(b"MZ\x90\x00")
    page.locator('[name="file"]').set_input_files(str(bad))
    page.locator("#upload-button").click()
    expect(page.locator("#field-file .errorlist")).to_contain_text("Upload a PDF, JPG or PNG")

    good = tmp_path / "licence.pdf"
    good.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.locator('[name="file"]').set_input_files(str(good))
    page.locator("#upload-button").click()

    expect(page).to_have_url(_url(live_server, "documents:checklist", operator.pk))
    expect(licence).to_have_attribute("data-status", "present")
    shot("documents-checklist")


def test_notification_centre_acknowledge_and_calendar_link(
    page: Page, live_server, demo, login, shot
):
    user = User.objects.get(username="agency_manager")
    operator = Operator.objects.get(name_zh="深圳市鹏程网络科技有限公司")
    n = make_notification(user, operator, title="pengcheng-demo.cn 将在 14 天后到期")
    login("agency_manager")
    page.goto(_url(live_server, "notification_pages:inbox"))
    row = page.locator(f"#notification-{n.pk}")
    expect(row).to_have_attribute("data-state", "unread")

    row.get_by_role("button", name="Acknowledge").click()

    # htmx swapped the row in place: same page, new state, no button left.
    expect(page.locator(f"#notification-{n.pk}")).to_have_attribute("data-state", "acknowledged")
    expect(page).to_have_url(_url(live_server, "notification_pages:inbox"))
    expect(page.locator(f"#notification-{n.pk} button")).to_have_count(0)
    n.refresh_from_db()
    assert n.acknowledged_at is not None

    page.goto(_url(live_server, "notification_pages:preferences"))
    page.get_by_role("button", name="Create a calendar link").click()
    feed_url = page.locator("#feed-url").input_value()
    shot("notification-preferences")
    feed = page.request.get(feed_url)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in feed.text()

    page.get_by_role("button", name="Regenerate the link").click()
    assert page.locator("#feed-url").input_value() != feed_url
    assert page.request.get(feed_url).status == 404
