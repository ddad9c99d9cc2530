"""A report downloaded twice from the same page is built twice; a double click once.

The page stays after a small report streams as a download, so its form keeps its
submission key; static/js/fresh_key.js gives it a new one a moment after each submit.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from accounts.models import Role
from reports.models import ReportRun
from tests.factories import MembershipFactory, OperatorFactory, OrganizationFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "report-pass-2024"


def test_generating_the_same_report_again_builds_a_new_one(page: Page, live_server, login):
    # given
    org = OrganizationFactory(name="报告代理", slug="report-again")
    OperatorFactory(organization=org)
    member = MembershipFactory(organization=org, role=Role.MANAGER)
    member.user.set_password(PASSWORD)
    member.user.save()
    login(member.user.username, PASSWORD)
    page.goto(f"{live_server.url}/reports/")
    form = page.get_by_test_id("report-form")
    key = form.locator('input[name="idempotency_key"]')
    form.locator('select[name="kind"]').select_option("portfolio")
    first_key = key.input_value()

    # when: the portfolio report is generated (it downloads; the page stays)
    with page.expect_download():
        form.locator('[type="submit"]').click()

    # then: one run, and the form has a new key a moment later
    page.wait_for_function(
        "k => document.querySelector('[data-testid=report-form] "
        "input[name=idempotency_key]').value !== k",
        arg=first_key,
        timeout=10_000,
    )
    assert ReportRun.objects.count() == 1

    # when: the same report is asked for again
    with page.expect_download():
        form.locator('[type="submit"]').click()

    # then: a second run is built (not the first one's PDF handed back)
    assert ReportRun.objects.count() == 2
    assert key.input_value() != first_key
