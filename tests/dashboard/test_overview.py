"""Overview, portfolio, organization switcher and number checker."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from compliance.types import ComplianceStatus
from filings.models import FilingStatus, FilingStatusChange
from tests.factories import (
    DomainFactory,
    MembershipFactory,
    MiniProgramFactory,
    OperatorFactory,
)

pytestmark = pytest.mark.django_db
S = FilingStatus


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("bad", ["2024-13-45", "yesterday", "99999-01-01", "1800-01-01"])
def test_invalid_as_of_is_a_message_not_an_error_case(client_for, manager, register, bad):
    response = client_for(manager).get(reverse("dashboard:overview"), {"as_of": bad})
    assert response.status_code == 200
    assert response.context["as_of"] == timezone.localdate()
    assert any("is not a date" in m for m in messages_of(response))


def test_overview_renders_accessible_charts(client_for, manager, register):
    body = client_for(manager).get(reverse("dashboard:overview")).content.decode()
    for testid in ("chart-compliance-status", "chart-filing-stages", "meter-mp-filed"):
        assert f'data-testid="{testid}"' in body
    assert 'role="img"' in body
    assert "<title id=" in body
    assert "<desc id=" in body


def test_overview_stage_counts_follow_as_of(client_for, manager, register):
    filing = register["filing"]
    when = datetime.datetime(2024, 5, 10, 4, tzinfo=datetime.UTC)  # 12:00 Beijing
    FilingStatusChange.objects.create(
        filing=filing, from_status=S.DRAFT, to_status=S.PROVIDER_REVIEW, created_at=when
    )
    filing.__class__.objects.filter(pk=filing.pk).update(
        status=S.PROVIDER_REVIEW,
        status_entered_at=when,
        created_at=when - datetime.timedelta(days=3),
    )
    c = client_for(manager)

    def stages(as_of):
        ctx = c.get(reverse("dashboard:overview"), {"as_of": as_of}).context
        return {label: n for label, n, _ in ctx["stage_rows"] if n}, ctx

    before, _ = stages("2024-05-09")
    assert before == {S.DRAFT.label: 1}
    after, ctx = stages("2024-05-11")
    assert after == {S.PROVIDER_REVIEW.label: 1}
    assert ctx["stuck_count"] == 0
    # Two working days allowed for provider review: by 20 May it is past its service level.
    _, ctx = stages("2024-05-20")
    assert [i.subject_id for i in ctx["stuck"]] == [filing.pk]
    assert ctx["stuck"][0].rule == "provider_review_sla"
    empty, _ = stages("2024-05-01")
    assert empty == {}  # the application did not exist yet


def test_overview_lists_overdue_and_due_soon_from_the_engine(client_for, manager, operator):
    today = timezone.localdate()
    DomainFactory(
        operator=operator, name="expired-soon.cn", expires_on=today + datetime.timedelta(days=10)
    )
    response = client_for(manager).get(reverse("dashboard:overview"))
    ctx = response.context
    rules = {i.rule for i in ctx["due_soon"]}
    assert "domain_expiry" in rules
    assert all(i.status != ComplianceStatus.OVERDUE for i in ctx["due_soon"])
    due_soon_items = [
        v for label, v, _ in ctx["status_rows"] if label == ComplianceStatus.DUE_SOON.label
    ]
    assert ctx["due_soon_count"] >= due_soon_items[0]  # the list holds every "due soon" item
    assert all(i.status == ComplianceStatus.OVERDUE for i in ctx["overdue"])
    assert ctx["status_total"] == sum(n for _, n, _ in ctx["status_rows"])


def test_overview_excludes_other_tenants(client_for, manager, register, other_register):
    ctx = client_for(manager).get(reverse("dashboard:overview")).context
    assert ctx["filings_total"] == 1
    assert {i.organization_id for i in ctx["overdue"] + ctx["due_soon"]} <= {
        register["operator"].organization_id
    }


def test_organization_switcher_narrows_pages(client_for, manager, org, operator):
    from tests.factories import OrganizationFactory

    second = OrganizationFactory(name="第二家")
    MembershipFactory(user=manager, organization=second, role=Role.VIEWER)
    other_op = OperatorFactory(organization=second, name_zh="第二家的客户有限公司")
    c = client_for(manager)
    body = c.get(reverse("dashboard:operator_list")).content.decode()
    assert 'id="org-switcher"' in body
    assert operator.name_zh in body
    assert other_op.name_zh in body
    response = c.post(
        reverse("dashboard:switch_organization"),
        {"organization": str(second.pk), "next": reverse("dashboard:operator_list")},
    )
    assert response["Location"] == reverse("dashboard:operator_list")
    body = c.get(reverse("dashboard:operator_list")).content.decode()
    assert other_op.name_zh in body
    assert operator.name_zh not in body
    # An organization the user is not a member of falls back to "all".
    c.post(reverse("dashboard:switch_organization"), {"organization": "999999"})
    body = c.get(reverse("dashboard:operator_list")).content.decode()
    assert operator.name_zh in body
    assert other_op.name_zh in body
    # Off-site "next" is ignored.
    response = c.post(
        reverse("dashboard:switch_organization"),
        {"organization": "all", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("dashboard:overview")


def test_switcher_hidden_for_single_membership(client_for, manager, register):
    body = client_for(manager).get(reverse("dashboard:overview")).content.decode()
    assert 'id="org-switcher"' not in body


def test_portfolio_filters_and_sorts(client_for, manager, org):
    today = timezone.localdate()
    gd = OperatorFactory(organization=org, name_zh="A广东公司", province_id="440000")
    bj = OperatorFactory(organization=org, name_zh="B北京公司", province_id="110000")
    DomainFactory(operator=gd, expires_on=today - datetime.timedelta(days=5))  # overdue
    DomainFactory(operator=bj, expires_on=today + datetime.timedelta(days=400))
    staff = MembershipFactory(organization=org, role=Role.EDITOR, limited_to_assigned=True)
    staff.operators.set([bj])
    c = client_for(manager)
    url = reverse("dashboard:portfolio")

    def names(**params):
        ctx = c.get(url, params).context
        return [row["operator"].name_zh for row in ctx["page_obj"]]

    assert names(sort="name") == ["A广东公司", "B北京公司"]
    assert names(sort="-name") == ["B北京公司", "A广东公司"]
    assert names(sort="status")[0] == "A广东公司"  # worst first
    assert names(province="110000") == ["B北京公司"]
    assert names(status="overdue") == ["A广东公司"]
    assert names(staff=str(staff.user_id)) == ["B北京公司"]
    body = c.get(url).content.decode()
    assert reverse("dashboard:operator_detail", args=[gd.pk]) in body


def test_operator_detail_is_the_clients_overview(client_for, manager, operator):
    DomainFactory(operator=operator, expires_on=timezone.localdate() - datetime.timedelta(days=1))
    ctx = client_for(manager).get(reverse("dashboard:operator_detail", args=[operator.pk])).context
    assert ctx["summary"].worst == ComplianceStatus.OVERDUE
    assert ctx["items"][0].status == ComplianceStatus.OVERDUE


def test_lists_search_filter_sort_and_paginate(client_for, manager, org):
    ops = [OperatorFactory(organization=org, name_zh=f"分页测试公司{i:02d}") for i in range(30)]
    for op in ops[:3]:
        MiniProgramFactory(operator=op, name=f"{op.name_zh}的小程序")
    c = client_for(manager)
    url = reverse("dashboard:operator_list")
    page1 = c.get(url, {"sort": "name"}).context["page_obj"]
    assert page1.paginator.count == 30
    assert len(page1) == 25
    page2 = c.get(url, {"sort": "name", "page": 2}).context["page_obj"]
    assert [o.name_zh for o in page2] == [f"分页测试公司{i:02d}" for i in range(25, 30)]
    assert c.get(url, {"q": "公司07"}).context["page_obj"].paginator.count == 1
    ranked = c.get(url, {"sort": "-services"}).context["page_obj"]
    assert [o.service_count for o in ranked][:4] == [1, 1, 1, 0]
    assert c.get(url, {"sort": "bogus"}).status_code == 200
    mp_page = c.get(reverse("dashboard:miniprogram_list"), {"operator": ops[0].pk}).context[
        "page_obj"
    ]
    assert [m.operator_id for m in mp_page] == [ops[0].pk]


def test_number_checker_shows_parts_and_errors(client_for, viewer):
    c = client_for(viewer)
    url = reverse("dashboard:number_checker")
    body = c.get(url, {"number": "粤ICP备2026067180号-2X"}).content.decode()
    assert 'data-testid="number-parts"' in body
    assert "粤ICP备2026067180号" in body
    assert "广东省" in body
    body = c.get(url, {"number": "萌ICP备22010101号"}).content.decode()
    assert 'data-testid="number-error"' in body
    assert "province abbreviation" in body
    partial = c.get(url, {"number": "京公网安备11010802020088号"}, HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert "<html" not in text
    assert 'id="number-result"' in text
    assert "11010802020088" in text


def test_lenient_mode_marks_needs_review(client_for, viewer):
    url = reverse("dashboard:number_checker")
    body = (
        client_for(viewer)
        .get(url, {"number": "川ICP备20151109-1", "lenient": "1"})
        .content.decode()
    )
    assert "needs review" in body


def test_pages_render_in_chinese(client_for, manager, register):
    c = client_for(manager)
    response = c.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    body = c.get(reverse("dashboard:overview")).content.decode()
    assert 'lang="zh-hans"' in body
    assert "概览" in body
    assert "检查准备情况" in body
    body = c.get(reverse("dashboard:filing_detail", args=[register["filing"].pk])).content.decode()
    assert "时间线" in body


def test_services_chart_counts_each_service_once_by_worst_status(client_for, manager, operator):
    today = timezone.localdate()
    DomainFactory(operator=operator, expires_on=today - datetime.timedelta(days=3))  # overdue
    DomainFactory(operator=operator, expires_on=today + datetime.timedelta(days=800))
    ctx = client_for(manager).get(reverse("dashboard:overview")).context
    services = {label: n for label, n, _ in ctx["service_rows"]}
    assert services[ComplianceStatus.OVERDUE.label] >= 1
    assert sum(services.values()) == 2  # two domains, however many items each has
    body = client_for(manager).get(reverse("dashboard:overview")).content.decode()
    assert 'data-testid="chart-services-status"' in body


# --- today first, lists that say what they cut, hour windows at their hour -------------------

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2024, 5, 7, 14, 19, tzinfo=BEIJING)
MINUTE = datetime.timedelta(minutes=1)


def _rows(operator, *, n: int = 1, days: int = 0, status="due_soon", rule="domain_expiry", **kw):
    from compliance.rules import rule_priority
    from tests.factories import ComplianceItemFactory

    today = timezone.localdate()
    due = today + datetime.timedelta(days=days)
    severity = {"overdue": 3, "due_soon": 2, "compliant": 1}[status]
    return [
        ComplianceItemFactory(
            operator=operator,
            due_date=due,
            status=status,
            severity=severity,
            rule=rule,
            priority=rule_priority(rule),
            **kw,
        )
        for _ in range(n)
    ]


@pytest.fixture
def quiet_operator(operator):
    """`operator` evaluated once: rows made by hand afterwards stay as they are."""
    from compliance import tracking

    tracking.flush()
    return operator


def test_due_in_30_days_is_today_to_30_days_never_past_never_beyond(
    client_for, manager, quiet_operator
):
    rows = {d: _rows(quiet_operator, days=d)[0] for d in (-1, 0, 30, 31)}
    ctx = client_for(manager).get(reverse("dashboard:overview")).context
    listed = {i.pk for i in ctx["lists"]["due_soon"]["rows"]}
    assert listed == {rows[0].pk, rows[30].pk}
    assert ctx["lists"]["due_soon"]["count"] == 2
    assert rows[0].pk in {i.pk for i in ctx["lists"]["today"]["rows"]}


def _summary(operator, **counts) -> None:
    """Per-operator counts as the store keeps them next to the rows."""
    from compliance.models import OperatorCompliance

    OperatorCompliance.objects.filter(operator=operator).update(**counts)


def test_lists_say_what_they_cut_and_link_to_the_worklist(client_for, manager, quiet_operator):
    _rows(quiet_operator, n=17, days=-3, status="overdue")
    _summary(quiet_operator, overdue=17)
    response = client_for(manager).get(reverse("dashboard:overview"))
    overdue = response.context["lists"]["overdue"]
    assert (len(overdue["rows"]), overdue["count"], overdue["cut"]) == (15, 17, True)
    body = response.content.decode()
    assert "15 of 17" in body
    assert 'href="/work/?status=overdue"' in body
    assert "see all 17 in the worklist" in body
    # Nothing cut, nothing said.
    assert 'data-testid="cut-due_soon"' not in body


def test_every_list_count_links_to_the_matching_worklist(client_for, manager, quiet_operator):
    _rows(quiet_operator, days=0)  # due today: in "Today" and in the next 30 days
    body = client_for(manager).get(reverse("dashboard:overview")).content.decode()
    for url in (
        "/work/?status=overdue",
        "/work/?status=due_soon&amp;window=30d",
        "/work/?window=today",
        "/work/?status=overdue&amp;rule=authority_review_sla&amp;rule=provider_review_sla"
        "&amp;rule=sms_verification_window",
    ):
        assert f'href="{url}"' in body, url


def test_overdue_puts_takedown_risks_and_hour_windows_before_dated_items(
    client_for, manager, quiet_operator
):
    old = _rows(quiet_operator, days=-700, status="overdue")[0]
    hours = _rows(quiet_operator, days=-1, status="overdue", rule="sms_verification_window")[0]
    takedown = _rows(
        quiet_operator, days=-400, status="overdue", rule="miniprogram_existing_deadline"
    )[0]
    ctx = client_for(manager).get(reverse("dashboard:overview")).context
    assert [i.pk for i in ctx["lists"]["overdue"]["rows"]] == [takedown.pk, hours.pk, old.pk]


def test_empty_today_says_so(client_for, manager, quiet_operator):
    _rows(quiet_operator, days=5)
    body = client_for(manager).get(reverse("dashboard:overview")).content.decode()
    assert 'data-testid="today-empty"' in body
    assert "Nothing due today." in body


@pytest.mark.parametrize(
    ("offset", "in_list", "status"),
    [(-MINUTE, "due_soon", "due_soon"), (MINUTE, "overdue", "overdue")],
    ids=["a minute before", "a minute after"],
)
def test_an_hour_window_is_due_soon_until_its_hour_then_overdue(
    client_for, manager, operator, offset, in_list, status, time_machine
):
    from compliance import tracking

    time_machine.move_to(NOW, tick=False)
    tracking.flush()
    ends = NOW - offset  # the page is read `offset` after the window's end
    row = _rows(
        operator,
        status="due_soon",
        rule="sms_verification_window",
        subject_type="filing",
        due_at=ends,
        changes_at=ends,
    )[0]
    _summary(operator, due_soon=1, overdue=0)
    response = client_for(manager).get(reverse("dashboard:overview"))
    lists = response.context["lists"]
    assert row.pk in {i.pk for i in lists[in_list]["rows"]}
    other = "overdue" if in_list == "due_soon" else "due_soon"
    assert row.pk not in {i.pk for i in lists[other]["rows"]}
    late = status == "overdue"
    assert (lists["overdue"]["count"], lists["due_soon"]["count"]) == (late, not late)
    counts = {label: n for label, n, _ in response.context["status_rows"]}
    assert counts[ComplianceStatus.OVERDUE.label] == late
    assert counts[ComplianceStatus.DUE_SOON.label] == (not late)
    body = response.content.decode()
    assert f'data-status="{status}"' in body
    if status == "due_soon":
        # Today, with the time left.
        assert row.pk in {i.pk for i in lists["today"]["rows"]}
        assert "1 min left, by 14:20" in body


def test_today_shows_hours_left_for_an_sms_window(client_for, manager, operator, time_machine):
    from compliance import tracking
    from tests.factories import FilingFactory

    time_machine.move_to(NOW, tick=False)
    filing = FilingFactory(
        miniprogram__operator=operator,
        status=S.SMS_VERIFICATION,
        status_entered_at=NOW - datetime.timedelta(hours=19),  # closes at 19:19
    )
    tracking.flush()
    response = client_for(manager).get(reverse("dashboard:overview"))
    today = response.context["lists"]["today"]["rows"]
    assert [(i.rule, i.subject_id) for i in today] == [("sms_verification_window", filing.pk)]
    body = response.content.decode()
    assert "5 h left, by 19:19" in body
    waiting = response.context["waiting"]
    assert [(f.pk, f.status) for f in waiting.rows] == [(filing.pk, "sms_verification")]
    assert reverse("dashboard:filing_detail", args=[filing.pk]) in body


def test_waiting_on_us_lists_what_needs_our_move(client_for, manager, org, other_register):
    from tests.factories import FilingFactory

    ops = [OperatorFactory(organization=org) for _ in range(4)]
    rejected = FilingFactory(miniprogram__operator=ops[0], status=S.AUTHORITY_REJECTED)
    blocked = FilingFactory(miniprogram__operator=ops[0], status=S.DRAFT)  # slot is taken
    ready = FilingFactory(miniprogram__operator=ops[1], status=S.DRAFT)
    FilingFactory(miniprogram__operator=ops[2], status=S.AUTHORITY_REVIEW)  # theirs to move
    FilingFactory(miniprogram__operator=ops[3], status=S.APPROVED)
    waiting = client_for(manager).get(reverse("dashboard:overview")).context["waiting"]
    assert [f.pk for f in waiting.rows] == [rejected.pk, ready.pk]
    assert blocked.pk not in {f.pk for f in waiting.rows}
    assert waiting.counts["authority_rejected"] == 1
    assert waiting.counts["draft"] == 1
    assert waiting.count == 2  # the other tenant's draft is not ours


def test_as_of_another_date_lists_that_day_and_cuts_without_worklist_links(
    client_for, manager, register
):
    response = client_for(manager).get(reverse("dashboard:overview"), {"as_of": "2024-03-31"})
    ctx = response.context
    assert ctx["waiting"] is None
    assert ctx["lists"]["overdue"]["url"] == ""
    today = ctx["lists"]["today"]["rows"]
    assert [(i.rule, i.due_date) for i in today] == [
        ("miniprogram_existing_deadline", datetime.date(2024, 3, 31))
    ]
    assert "Due on 2024-03-31" in response.content.decode()
