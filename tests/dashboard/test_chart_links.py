"""Overview chart bars link to the list filtered to what the bar counts."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from compliance import tracking
from filings.models import FilingStatus
from miniprograms.models import Lifecycle, Platform
from tests.factories import DomainFactory, FilingFactory, MiniProgramFactory, OperatorFactory

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Today where the test runs (read per call: a run may cross midnight)."""
    return timezone.localdate()


@pytest.fixture
def portfolio(org, other_org, operator):
    MiniProgramFactory(operator=operator)  # live, not filed
    MiniProgramFactory(operator=operator, platform=Platform.ALIPAY, icp_number="粤ICP备1号-1X")
    draft = MiniProgramFactory(operator=operator, lifecycle=Lifecycle.IN_DEVELOPMENT)
    FilingFactory(miniprogram=draft, status=FilingStatus.PROVIDER_REVIEW)
    FilingFactory(
        status=FilingStatus.DRAFT, miniprogram__operator=OperatorFactory(organization=org)
    )
    DomainFactory(operator=operator, expires_on=today() - datetime.timedelta(days=3))
    DomainFactory(operator=operator, icp_number="粤ICP备1号-2")
    # another tenant's services must not count, nor show in the linked lists
    theirs = OperatorFactory(organization=other_org)
    MiniProgramFactory(operator=theirs)
    FilingFactory(miniprogram__operator=theirs, status=FilingStatus.PROVIDER_REVIEW)
    DomainFactory(operator=theirs, expires_on=today() - datetime.timedelta(days=3))
    tracking.flush()


def _bars(ctx, rows: str) -> list[tuple]:
    """(label, value, css, href) of a chart, its links from the rows or from `<name>_links`."""
    links_name = rows.replace("_rows", "_links")
    if links_name in ctx:
        return [(*row, href) for row, href in zip(ctx[rows], ctx[links_name], strict=True)]
    return list(ctx[rows])


CHARTS = [
    ("stage_rows", "dashboard:filing_list"),
    ("miniprogram_state_rows", "dashboard:miniprogram_list"),
    ("domain_state_rows", "dashboard:domain_list"),
    ("platform_rows", "dashboard:miniprogram_list"),
]


@pytest.mark.parametrize(("rows", "list_name"), CHARTS)
def test_each_bar_links_to_a_list_with_as_many_rows(
    client_for, manager, portfolio, rows, list_name
):
    c = client_for(manager)
    overview = c.get(reverse("dashboard:overview"))
    bars = _bars(overview.context, rows)
    assert bars
    html = overview.content.decode()
    for label, value, _css, href in bars:
        assert f'<a href="{href}"'.replace("&", "&amp;") in html
        assert resolve(href.split("?")[0]).view_name == list_name
        listed = c.get(href)
        assert listed.status_code == 200
        assert not listed.context["filter_errors"], href
        assert listed.context["page_obj"].paginator.count == value, (label, href)
    assert sum(b[1] for b in bars) > 0


def test_expected_counts_and_hrefs(client_for, manager, portfolio):
    ctx = client_for(manager).get(reverse("dashboard:overview")).context
    mp = {href: value for _l, value, _c, href in ctx["miniprogram_state_rows"]}
    base = reverse("dashboard:miniprogram_list")
    assert mp[f"{base}?compliance=live_unfiled"] == 2
    assert mp[f"{base}?compliance=in_progress"] == 1
    assert mp[f"{base}?compliance=filed"] == 1
    platforms = {href: value for _l, value, _c, href in ctx["platform_rows"]}
    assert platforms == {f"{base}?platform=wechat": 3, f"{base}?platform=alipay": 1}
    stages = {href: value for _l, value, _c, href in _bars(ctx, "stage_rows")}
    assert stages[reverse("dashboard:filing_list") + "?status=provider_review"] == 1


def test_open_item_bars_lead_to_the_worklist(client_for, manager, portfolio):
    r = client_for(manager).get(reverse("dashboard:overview"))
    hrefs = {row[3] for row in _bars(r.context, "status_rows") if row[3]}
    assert '<a href="/work/?status=overdue"' in r.content.decode()
    assert hrefs == {"/work/?status=overdue", "/work/?status=due_soon"}


def test_another_date_shows_counts_without_links(client_for, manager, portfolio):
    r = client_for(manager).get(reverse("dashboard:overview") + "?as_of=2024-03-15")
    assert all(href == "" for href in r.context["stage_links"])
    assert "miniprogram_state_rows" not in r.context
    html = unescape(r.content.decode())
    assert 'data-testid="bar-link"' not in html
    assert 'role="img"' in html  # unlinked charts stay one image
