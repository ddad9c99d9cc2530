"""In Chromium: bulk acknowledge and the header's unread count; a chart bar opens its list."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import User
from miniprograms.models import Operator
from notifications.models import Notification
from tests.factories import make_notification

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_bulk_acknowledge_two_notifications_drops_the_badge(
    page: Page, live_server, demo, login, shot
):
    user = User.objects.get(username="agency_manager")
    operator = Operator.objects.get(name_zh="深圳市鹏程网络科技有限公司")
    a = make_notification(user, operator, title="提醒甲", n=901)
    b = make_notification(user, operator, title="提醒乙", n=902)
    c = make_notification(user, operator, title="提醒丙", n=903)
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    login("agency_manager")
    page.goto(live_server.url + reverse("notification_pages:inbox"))
    badge = page.get_by_test_id("unread-badge")
    expect(badge).to_have_attribute("data-count", str(unread))

    page.locator(f"#select-{a.pk}").check()
    page.locator(f"#select-{b.pk}").check()
    page.get_by_test_id("bulk-acknowledge").click()

    # htmx re-rendered the unread list and swapped the header badge out of band.
    expect(page.get_by_test_id("bulk-note")).to_contain_text("2 notifications acknowledged")
    expect(badge).to_have_attribute("data-count", str(unread - 2))
    expect(page.locator(f"#notification-{a.pk}")).to_have_count(0)
    expect(page.locator(f"#notification-{c.pk}")).to_have_attribute("data-state", "unread")
    expect(page).to_have_url(live_server.url + reverse("notification_pages:inbox"))
    shot("notification-centre-bulk")
    acked = Notification.objects.filter(pk__in=[a.pk, b.pk], acknowledged_at__isnull=False)
    assert acked.count() == 2


def test_a_chart_bar_opens_the_filtered_list(page: Page, live_server, demo, login, shot):
    login("agency_manager")
    page.goto(live_server.url + reverse("dashboard:overview"))
    bar = page.locator("#chart-miniprogram-states a.bar-link").first
    label = bar.get_attribute("aria-label") or ""
    expected = int(label.split(":")[1].split("–")[0].strip())
    shot("overview-linked-charts")

    bar.click()

    expect(page).to_have_url(re.compile(r"/miniprograms/\?compliance=live_unfiled$"))
    expect(page.locator("#f-compliance")).to_have_value("live_unfiled")
    expect(page.get_by_test_id("result-count")).to_contain_text(str(expected))
    shot("miniprograms-live-unfiled")
