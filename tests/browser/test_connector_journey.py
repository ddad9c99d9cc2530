"""Journey: a manager sets up the WeChat third-party platform connector on the pages, WeChat
pushes the verify ticket to the URL the page shows, "Check credentials" reaches the (fake)
WeChat API, "Sync now" reads the mini-program's filing state, and the application's timeline
is filled by connector:wechat. The WeChat API is a local fake on 127.0.0.1; the push is
signed and encrypted as WeChat does it."""

from __future__ import annotations

import urllib.parse
import urllib.request

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import Organization
from connectors import tasks
from connectors.models import ConnectorAccount, PushEvent, PushOutcome
from filings.models import FilingApplication
from tests.connectors.push.builders import signed_push, ticket_xml
from tests.connectors.wechat.fake import start_fake
from tests.factories import MiniProgramFactory, OperatorFactory
from tests.factories.connectors import WECHAT_CREDENTIALS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

APPID = "wx00000000000000aa"


@pytest.fixture
def fake_wechat(settings):
    fake = start_fake()
    settings.CONNECTOR_WECHAT_API_BASE = fake.base_url
    settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]
    yield fake
    fake.stop()


@pytest.fixture
def inline_tasks(monkeypatch):
    """The queued push and sync run in the request's thread once it commits (no worker)."""
    monkeypatch.setattr(tasks.push_task, "delay", lambda push_id: tasks.push_task(push_id))
    monkeypatch.setattr(tasks.sync_task, "delay", lambda **kw: tasks.sync_task(**kw))


def _push(url: str, account: ConnectorAccount, xml: bytes) -> str:
    query, body = signed_push(account, xml)
    request = urllib.request.Request(  # noqa: S310 - the live server on loopback
        f"{url}?{urllib.parse.urlencode(query)}", data=body, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        return answer.read().decode()


def test_set_up_check_and_sync_fill_the_timeline(
    page: Page, live_server, demo, login, shot, fake_wechat, inline_tasks
):
    agency = Organization.objects.get(slug="demo-agency")
    operator = OperatorFactory(organization=agency, entity_number="")
    mp = MiniProgramFactory(operator=operator, appid=APPID, name="连接器旅程")
    fake_wechat.add_authorizer(APPID, status=4, sms=1)

    login("agency_manager")
    page.get_by_test_id("nav-connectors").click()
    page.get_by_test_id("connector-create").click()
    page.get_by_test_id("connector-kind-wechat").click()
    if page.locator("#id_organization").count():  # a manager of several organizations
        page.locator("#id_organization").select_option(str(agency.pk))
    page.locator('[name="name"]').fill("Our WeChat platform")
    for field, value in WECHAT_CREDENTIALS.items():
        page.locator(f'[name="cred_{field}"]').fill(value)
    page.get_by_test_id("connector-save").click()
    expect(page.get_by_test_id("connector-name")).to_contain_text("Our WeChat platform")
    account = ConnectorAccount.objects.get(organization=agency, name="Our WeChat platform")
    # The page shows the secrets masked, never in clear.
    html = page.content()
    for secret in ("component_appsecret", "token", "encoding_aes_key"):
        assert WECHAT_CREDENTIALS[secret] not in html

    # WeChat pushes the verify ticket to the authorization-event URL the page shows.
    events_url = page.get_by_test_id("connector-push-events").inner_text()
    assert events_url.startswith(live_server.url)
    assert _push(events_url, account, ticket_xml(account, fake_wechat.ticket)) == "success"
    assert PushEvent.objects.get(account=account).outcome == PushOutcome.ACCEPTED

    page.get_by_test_id("connector-check").click()
    expect(page.get_by_test_id("connector-health")).to_have_attribute("data-health", "ok")
    page.get_by_test_id("connector-sync-now").click()
    expect(page.get_by_test_id("connector-run").first).to_have_attribute("data-trigger", "manual")
    expect(page.get_by_test_id("connector-run").first).to_have_attribute("data-status", "succeeded")
    shot("connector-detail")

    filing = FilingApplication.objects.get(miniprogram=mp)
    page.goto(live_server.url + reverse("dashboard:filing_detail", args=[filing.pk]))
    entries = page.get_by_test_id("timeline-entry")
    expect(entries).to_have_count(2)
    expect(entries.nth(0)).to_have_attribute("data-to-status", "provider_review")
    expect(entries.nth(1)).to_have_attribute("data-to-status", "sms_verification")
    expect(page.get_by_test_id("timeline-actor")).to_have_text(
        ["connector:wechat", "connector:wechat"]
    )
    shot("connector-timeline")

    # WeChat moves on; the next sync continues the same application.
    fake_wechat.set_state(APPID, status=4, sms=2)
    page.goto(live_server.url + reverse("connectors:detail", args=[account.pk]))
    page.get_by_test_id("connector-sync-now").click()
    expect(page.get_by_test_id("connector-run").first).to_have_attribute("data-status", "succeeded")
    page.goto(live_server.url + reverse("dashboard:filing_detail", args=[filing.pk]))
    expect(page.get_by_test_id("timeline-entry")).to_have_count(3)
    expect(page.get_by_test_id("timeline-entry").nth(2)).to_have_attribute(
        "data-to-status", "authority_review"
    )
