"""The portfolio at 40+ clients: severity inside a status, staff, pinyin order and search,
counts as links, the export, tenancy and a query count flat in the number of clients."""

from __future__ import annotations

import csv
import datetime
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Membership, Role
from compliance import tracking
from compliance.models import OperatorCompliance
from compliance.types import SEVERITY, ComplianceStatus
from dashboard import portfolio as pf
from miniprograms.models import Operator
from miniprograms.names import name_initials, name_sort_key
from tests.factories import (
    DomainFactory,
    MembershipFactory,
    MiniProgramFactory,
    OperatorFactory,
    UserFactory,
    valid_uscc,
)

pytestmark = pytest.mark.django_db
S = ComplianceStatus
URL = "/portfolio/"
CITIES = ["上海", "深圳", "北京", "Acme", "南京"]


def _summary(op, worst, *, overdue=0, due_soon=0, takedown=0, oldest=None, next_deadline=None):
    """Give `op` a maintained summary (what compliance.store writes), after the pending
    marks are applied so that they do not overwrite it."""
    tracking.flush()
    OperatorCompliance.objects.update_or_create(
        operator=op,
        defaults={
            "organization_id": op.organization_id,
            "worst_status": worst,
            "worst_severity": SEVERITY[S(worst)],
            "overdue": overdue,
            "due_soon": due_soon,
            "takedown_risk": takedown,
            "oldest_overdue": oldest,
            "next_deadline": next_deadline,
            "evaluated_on": timezone.localdate(),
            "updated_at": timezone.now(),
        },
    )


def _names(c, **params) -> list[str]:
    response = c.get(URL, params)
    assert response.status_code == 200
    return [row["operator"].name_zh for row in response.context["page_obj"]]


# -- pinyin keys ------------------------------------------------------------------------------


def test_name_keys_are_toneless_pinyin_letters_and_digits():
    assert name_sort_key("北京") == "beijing"
    assert name_sort_key("重庆市") == "chongqingshi"  # the phrase's reading, not zhong
    assert name_sort_key("Acme 科技（ABC）有限公司") == "acmekejiabcyouxiangongsi"
    assert name_sort_key("测试3号") == "ceshi3hao"
    assert name_initials("北京字节跳动") == "bjzjtd"


def test_save_keeps_the_keys_with_the_name(org):
    op = OperatorFactory(organization=org, name_zh="上海")
    assert (op.name_sort, op.name_initials) == ("shanghai", "sh")
    op.name_zh = "深圳"
    op.save(update_fields=["name_zh"])
    op.refresh_from_db()
    assert (op.name_sort, op.name_initials) == ("shenzhen", "sz")


def test_name_sort_puts_chinese_names_in_pinyin_order(client_for, manager, org):
    for name in CITIES:
        OperatorFactory(organization=org, name_zh=name)
    c = client_for(manager)
    expected = ["Acme", "北京", "南京", "上海", "深圳"]
    assert sorted(CITIES) != expected  # code point order differs
    assert _names(c, sort="name") == expected
    assert _names(c, sort="-name") == expected[::-1]
    # The order is the ORDER BY on the stored key (the same on SQLite and PostgreSQL).
    qs = pf.portfolio_today(Operator.objects.all(), status="", sort="name")
    assert 'ORDER BY "miniprograms_operator"."name_sort" ASC' in str(qs.query)
    keys = list(Operator.objects.order_by("name_sort").values_list("name_sort", flat=True))
    assert keys == ["acme", "beijing", "nanjing", "shanghai", "shenzhen"]
    # The operator list's name sort uses the same key.
    ops = c.get(reverse("dashboard:operator_list"), {"sort": "name"}).context["page_obj"]
    assert [o.name_zh for o in ops] == expected


# -- search, page size ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("beijing", ["北京"]),
        ("Bei Jing", ["北京"]),
        ("bj", ["北京"]),
        ("nj", ["南京"]),
        ("jing", ["北京", "南京"]),
        ("北京", ["北京"]),
        ("acme", ["Acme"]),
        ("s", []),  # one letter: no pinyin match (it would find nearly everyone)
    ],
)
def test_search_finds_by_name_pinyin_or_initials_case(client_for, manager, org, q, found):
    for name in CITIES:
        OperatorFactory(organization=org, name_zh=name, name_en="")
    assert _names(client_for(manager), q=q, sort="name") == found


def test_search_by_uscc_and_english_name(client_for, manager, org):
    a = OperatorFactory(
        organization=org, name_zh="甲", name_en="Alpha Trading", uscc=valid_uscc(71)
    )
    OperatorFactory(organization=org, name_zh="乙", name_en="Beta", uscc=valid_uscc(72))
    c = client_for(manager)
    assert _names(c, q=a.uscc) == ["甲"]
    assert _names(c, q="alpha trad") == ["甲"]


def test_page_size_choices_and_bad_input(client_for, manager, org):
    Operator.objects.bulk_create(
        [
            Operator(
                organization=org,
                name_zh=f"分页{i:03d}",
                uscc=valid_uscc(500 + i),
                province_id="440000",
            )
            for i in range(60)
        ]
    )
    c = client_for(manager)
    assert len(c.get(URL, {"page_size": 50}).context["page_obj"]) == 50
    assert len(c.get(URL).context["page_obj"]) == 25
    bad_values = [
        {"page_size": 7},
        {"staff": "someone"},
        {"staff": "9" * 20},
        {"sort": "bogus"},
        {"status": "x"},
    ]
    for bad in bad_values:
        response = c.get(URL, bad)
        assert response.status_code == 200
        assert response.context["filter_errors"], bad
        assert len(response.context["page_obj"]) == 0  # never a silently wider list
        assert 'data-testid="filter-errors"' in response.content.decode()


# -- severity inside a status ------------------------------------------------------------------


def test_overdue_clients_rank_by_takedown_risks_then_oldest_overdue(client_for, manager, org):
    today = timezone.localdate()
    days = datetime.timedelta(days=1)
    old = OperatorFactory(organization=org, name_zh="丙老逾期")
    risky = OperatorFactory(organization=org, name_zh="甲下架风险")
    recent = OperatorFactory(organization=org, name_zh="乙新逾期")
    soon = OperatorFactory(organization=org, name_zh="丁即将到期")
    calm = OperatorFactory(organization=org, name_zh="戊合规")
    _summary(old, S.OVERDUE, overdue=1, oldest=today - 600 * days, next_deadline=today + days)
    _summary(risky, S.OVERDUE, overdue=2, takedown=2, oldest=today - 3 * days)
    _summary(recent, S.OVERDUE, overdue=1, oldest=today - 10 * days)
    _summary(soon, S.DUE_SOON, due_soon=1, next_deadline=today + 5 * days)
    _summary(calm, S.COMPLIANT, next_deadline=today + 90 * days)
    c = client_for(manager)
    assert _names(c) == ["甲下架风险", "丙老逾期", "乙新逾期", "丁即将到期", "戊合规"]
    assert _names(c, sort="takedown")[0] == "甲下架风险"
    assert _names(c, sort="deadline") == [
        "丙老逾期",
        "乙新逾期",
        "甲下架风险",
        "丁即将到期",
        "戊合规",
    ]
    response = c.get(URL)
    rows = {row["operator"].pk: row for row in response.context["page_obj"]}
    # An overdue client shows how long, never its next (future) deadline.
    assert rows[old.pk]["overdue_since"] == today - 600 * days
    assert rows[old.pk]["overdue_days"] == 600
    assert rows[soon.pk]["overdue_since"] is None
    body = response.content.decode()
    since = (today - 600 * days).isoformat()
    assert f"overdue since {since}, 600 days" in body
    assert (today + days).isoformat() not in body
    assert "2 takedown risks" in body
    assert body.count('data-testid="takedown-link"') == 1


def test_takedown_risks_come_from_the_maintained_rows(client_for, manager, org):
    op = OperatorFactory(organization=org, name_zh="未备案上线")
    MiniProgramFactory(operator=op, launch_date=datetime.date(2023, 1, 1))
    tracking.flush()
    summary = OperatorCompliance.objects.get(operator=op)
    assert summary.takedown_risk >= 1
    row = client_for(manager).get(URL).context["page_obj"][0]
    assert row["summary"].takedown_risk == summary.takedown_risk


# -- staff ------------------------------------------------------------------------------------


def test_staff_column_and_filter(client_for, manager, org):
    a = OperatorFactory(organization=org, name_zh="阿")
    b = OperatorFactory(organization=org, name_zh="白")
    nobody = OperatorFactory(organization=org, name_zh="无人")
    wang = MembershipFactory(
        organization=org, role=Role.EDITOR, user=UserFactory(username="wang", first_name="王")
    )
    li = MembershipFactory(organization=org, role=Role.VIEWER, user=UserFactory(username="li"))
    officer = MembershipFactory(organization=org, role=Role.CLIENT, limited_to_assigned=True)
    wang.operators.set([a, b])
    li.operators.set([b])
    officer.operators.set([nobody])  # a client's officer is not staff
    c = client_for(manager)
    rows = {row["operator"].name_zh: row["staff"] for row in c.get(URL).context["page_obj"]}
    assert rows == {"阿": ["王"], "白": ["li", "王"], "无人": []}
    assert _names(c, staff=wang.user_id, sort="name") == ["阿", "白"]
    assert _names(c, staff=li.user_id) == ["白"]
    assert _names(c, staff="none") == ["无人"]
    assert _names(c, staff="me") == []  # the manager is assigned to nobody
    assert _names(client_for(wang.user), staff="me", sort="name") == ["阿", "白"]
    options = c.get(URL).context["staff_members"]
    assert (wang.user_id, "王") in options
    assert officer.user_id not in [uid for uid, _ in options]


# -- links ------------------------------------------------------------------------------------


def test_every_count_links_to_the_filtered_list(client_for, manager, org):
    today = timezone.localdate()
    op = OperatorFactory(organization=org, name_zh="链接")
    MiniProgramFactory(operator=op)
    DomainFactory(operator=op, expires_on=today + datetime.timedelta(days=400))
    tracking.flush()
    _summary(op, S.OVERDUE, overdue=2, due_soon=1, takedown=1, oldest=today)
    response = client_for(manager).get(URL)
    row = response.context["page_obj"][0]
    links = row["links"]

    def query(url: str) -> tuple[str, dict]:
        parts = urlsplit(url)
        return parts.path, parse_qs(parts.query)

    assert query(links["overdue"]) == ("/work/", {"operator": [str(op.pk)], "status": ["overdue"]})
    assert query(links["due_soon"]) == (
        "/work/",
        {"operator": [str(op.pk)], "status": ["due_soon"]},
    )
    assert query(links["takedown"]) == (
        "/work/",
        {"operator": [str(op.pk)], "priority": ["takedown"]},
    )
    assert query(links["miniprograms"]) == (
        reverse("dashboard:miniprogram_list"),
        {"operator": [str(op.pk)]},
    )
    assert (row["miniprograms"], row["domains"]) == (1, 1)
    body = response.content.decode()
    for key in ("overdue", "due_soon", "takedown", "miniprograms", "domains"):
        assert f'href="{links[key].replace("&", "&amp;")}"' in body
    # The linked list shows that operator's services only.
    mps = client_for(manager).get(links["miniprograms"]).context["page_obj"]
    assert [m.operator_id for m in mps] == [op.pk]


# -- export -----------------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_export_follows_the_filters_sort_and_search(client_for, manager, org, other_org):
    for name in CITIES:
        OperatorFactory(organization=org, name_zh=name)
    OperatorFactory(organization=other_org, name_zh="北京别家")
    today = timezone.localdate()
    bj = Operator.objects.get(name_zh="北京")
    _summary(bj, S.OVERDUE, overdue=1, takedown=1, oldest=today - datetime.timedelta(days=9))
    c = client_for(manager)
    url = reverse("dashboard:portfolio_export", args=["csv"])
    rows = _csv(c.get(url, {"sort": "-name"}))
    assert rows[0][:2] == ["Client", "English name"]
    assert [r[0] for r in rows[1:]] == ["深圳", "上海", "南京", "北京", "Acme"]
    rows = _csv(c.get(url, {"q": "jing", "sort": "name"}))
    assert [r[0] for r in rows[1:]] == ["北京", "南京"]  # not another tenant's 北京别家
    header = rows[0]
    beijing = dict(zip(header, rows[1], strict=True))
    assert beijing["Takedown risks"] == "1"
    assert beijing["Days overdue"] == "9"
    assert beijing["Overdue since"] == (today - datetime.timedelta(days=9)).isoformat()
    manager.language = "zh-hans"  # the person's language names the columns
    manager.save(update_fields=["language"])
    zh = _csv(c.get(url, {"q": "bj"}))
    assert zh[0][0] == "客户"  # translated labels
    assert [r[0] for r in zh[1:]] == ["北京"]


def test_export_xlsx_and_bad_parameters(client_for, manager, org):
    OperatorFactory(organization=org, name_zh="=cmd()")
    OperatorFactory(organization=org, name_zh="北京")
    c = client_for(manager)
    response = c.get(reverse("dashboard:portfolio_export", args=["xlsx"]), {"sort": "name"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert ws is not None
    values = [row[0] for row in ws.iter_rows(values_only=True)]
    assert values[0] == "Client"
    assert "'=cmd()" in values  # neutralised formula
    assert "北京" in values
    bad = c.get(reverse("dashboard:portfolio_export", args=["csv"]), {"staff": "x"})
    assert bad.status_code == 400
    assert c.get(reverse("dashboard:portfolio_export", args=["pdf"])).status_code == 404
    bad_date = c.get(reverse("dashboard:portfolio_export", args=["csv"]), {"as_of": "2024-13-01"})
    assert bad_date.status_code == 400
    assert c.get(reverse("dashboard:portfolio_export", args=["csv"])).status_code == 200
    anonymous = client_for(None).get(reverse("dashboard:portfolio_export", args=["csv"]))
    assert anonymous.status_code == 302


# -- tenancy ----------------------------------------------------------------------------------


def test_portfolio_shows_only_the_users_clients(client_for, manager, org, other_org):
    mine = OperatorFactory(organization=org, name_zh="北京我的")
    OperatorFactory(organization=other_org, name_zh="北京别家")
    theirs = MembershipFactory(organization=other_org, role=Role.EDITOR)
    theirs.operators.set(Operator.objects.filter(organization=other_org))
    c = client_for(manager)
    assert _names(c, q="beijing") == ["北京我的"]
    assert _names(c, staff=theirs.user_id) == []
    names = [m for _, m in c.get(URL).context["staff_members"]]
    assert theirs.user.username not in names
    assert [row["operator"].pk for row in c.get(URL).context["page_obj"]] == [mine.pk]


# -- queries ----------------------------------------------------------------------------------


def _grow(org, start: int, n: int, staff: Membership) -> None:
    """n clients with summaries, an assigned staff member each, in a few statements."""
    today = timezone.localdate()
    ops = [
        Operator(
            organization=org,
            name_zh=f"规模{start + i:04d}",
            province_id="440000",
            uscc=valid_uscc(9000 + start + i),
        )
        for i in range(n)
    ]
    for op in ops:
        op.set_name_keys()
    ops = Operator.objects.bulk_create(ops)
    tracking.flush()
    OperatorCompliance.objects.bulk_create(
        OperatorCompliance(
            operator=op,
            organization=org,
            worst_status=S.OVERDUE,
            worst_severity=SEVERITY[S.OVERDUE],
            overdue=1,
            takedown_risk=i % 3,
            oldest_overdue=today - datetime.timedelta(days=i),
            evaluated_on=today,
            updated_at=timezone.now(),
        )
        for i, op in enumerate(ops)
    )
    staff.operators.add(*ops)


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("", 25),
        ("?page_size=200", 200),
        ("?page_size=200&sort=-name&q=guimo&staff=me", 200),
        ("?staff=none&sort=deadline", 0),
    ],
)
def test_query_count_is_the_same_for_2_and_200_clients_case(client_for, org, query, shown):
    staff = MembershipFactory(organization=org, role=Role.EDITOR, limited_to_assigned=True)
    c = client_for(staff.user)
    url = URL + query
    _grow(org, 0, 2, staff)
    c.get(url)  # warm per-process caches

    def count() -> tuple[int, int]:
        tracking.flush()
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.context["page_obj"])

    small, _rows = count()
    _grow(org, 2, 198, staff)
    large, rows = count()
    assert small == large, f"{url}: {small} queries for 2 clients, {large} for 200"
    assert rows == shown
