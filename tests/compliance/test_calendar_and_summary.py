"""The admin-kept calendar, and the summary the dashboard and reminders read."""

import pytest

from compliance.calendar import get_workday_calendar
from compliance.engine import UnknownRuleError, compliance_items, summarize, worst_status
from compliance.models import CalendarOverride, ComplianceRule, KnownCalendarYear
from compliance.rules import ALL_RULES
from compliance.types import EvaluatedItem
from icp.workdays import Deadline
from miniprograms.models import Lifecycle
from tests.factories import DomainFactory, MiniProgramFactory, OperatorFactory

from .helpers import D

pytestmark = pytest.mark.django_db


def test_seeded_rules_and_known_years():
    codes = set(ComplianceRule.objects.values_list("code", flat=True))
    assert codes == set(ALL_RULES)
    assert all(r.source for r in ComplianceRule.objects.all())
    assert ComplianceRule.objects.get(code="miniprogram_existing_deadline").params == {
        "launched_before": "2023-09-01",
        "deadline": "2024-03-31",
        "warn_days": 30,
    }
    assert ComplianceRule.objects.get(code="provider_review_sla").verified is False
    years = list(KnownCalendarYear.objects.values_list("year", flat=True))
    assert years == list(range(2004, 2027))


def test_calendar_from_database_in_two_queries(django_assert_num_queries):
    CalendarOverride.objects.create(date=D(2024, 10, 8), is_working_day=False, note="typhoon")
    with django_assert_num_queries(2):
        cal = get_workday_calendar()
    assert not cal.is_working_day(D(2024, 10, 8))
    assert cal.is_working_day(D(2024, 10, 9))
    # 20 working days across Spring Festival 2024 with its make-up Sundays.
    assert cal.add_working_days(D(2024, 2, 2), 20) == Deadline(D(2024, 3, 6), False, ())
    assert cal.add_working_days(D(2026, 12, 14), 20).estimated is True


def test_removing_a_known_year_makes_its_deadlines_estimates():
    KnownCalendarYear.objects.filter(year=2024).delete()
    deadline = get_workday_calendar().add_working_days(D(2024, 2, 2), 20)
    assert deadline.estimated is True
    assert deadline.unknown_years == (2024,)


def test_unknown_rule_is_refused():
    with pytest.raises(UnknownRuleError):
        compliance_items(as_of=D(2024, 1, 1), rules=["no_such_rule"])


def test_items_come_worst_first():
    MiniProgramFactory(launch_date=D(2022, 6, 1))  # overdue
    DomainFactory(expires_on=D(2024, 5, 1))  # due soon
    DomainFactory(expires_on=D(2030, 5, 1))  # compliant
    statuses = [i.status for i in compliance_items(as_of=D(2024, 4, 15))]
    order = {"overdue": 0, "due_soon": 1, "compliant": 2, "not_applicable": 3}
    assert statuses == sorted(statuses, key=order.__getitem__)


def test_summarize_counts_worst_and_next_deadline():
    a = OperatorFactory(province_id="330000", name_zh="甲公司")
    b = OperatorFactory(province_id="440000", name_zh="乙公司")
    MiniProgramFactory(operator=a, launch_date=D(2022, 6, 1))  # overdue as of 2024-04-15
    DomainFactory(operator=a, expires_on=D(2024, 6, 1))  # due soon, 2024-06-01
    DomainFactory(operator=a, expires_on=D(2024, 12, 1))  # compliant, 2024-12-01
    DomainFactory(operator=b, expires_on=D(2025, 1, 1))  # compliant
    MiniProgramFactory(operator=b, launch_date=D(2022, 6, 1), lifecycle=Lifecycle.DELISTED)
    as_of = D(2024, 4, 15)
    summary = summarize(compliance_items(as_of=as_of), as_of=as_of)
    assert summary["total"] == 5
    assert summary["by_status"] == {
        "compliant": 2,
        "due_soon": 1,
        "overdue": 1,
        "not_applicable": 1,
    }
    assert summary["by_rule"]["domain_expiry"] == {
        "compliant": 2,
        "due_soon": 1,
        "overdue": 0,
        "not_applicable": 0,
    }
    assert summary["by_province"]["330000"]["overdue"] == 1
    first, second = summary["operators"]
    assert (first["operator_id"], first["worst_status"]) == (a.pk, "overdue")
    assert (first["next_deadline"], first["next_deadline_rule"]) == (D(2024, 6, 1), "domain_expiry")
    assert first["counts"]["overdue"] == 1
    assert (second["operator_id"], second["worst_status"]) == (b.pk, "compliant")
    assert second["next_deadline"] == D(2025, 1, 1)


def test_worst_status():
    def item(status):
        return EvaluatedItem(
            "r", "domain", 1, "x", 1, "op", 1, "110000", status, None, False, {"t": ""}
        )

    assert worst_status([]) == "not_applicable"
    assert worst_status([item("compliant"), item("due_soon")]) == "due_soon"
    assert worst_status([item("overdue"), item("due_soon")]) == "overdue"


def test_messages_follow_the_readers_language():
    """An item is evaluated once and reads in the language of whoever reads it."""
    from django.utils import translation

    mp = MiniProgramFactory(name="老商城", launch_date=D(2022, 6, 1))
    with translation.override("zh-hans"):
        (item,) = compliance_items(as_of=D(2024, 4, 1), rules=["miniprogram_existing_deadline"])
    assert item.subject_id == mp.pk
    with translation.override("zh-hans"):
        assert item.message.startswith("小程序“老商城”")
    with translation.override("en"):
        assert item.message.startswith("Mini-program “老商城”")
    assert item.note["v"]["deadline"] == "2024-03-31"  # the facts that decided it
