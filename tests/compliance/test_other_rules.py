"""As-of status of every other rule on both sides of each boundary (domain.md §3, §6–§8)."""

import datetime

import pytest

from compliance.engine import compliance_items
from compliance.rules import RuleCode as R
from filings.models import FilingKind, FilingStatus, FilingStatusChange
from miniprograms.models import IcpLicence, RealNameStatus
from tests.factories import DomainFactory, FilingFactory, OperatorFactory, PersonFactory

from .helpers import D, approve, at_beijing, item_for

pytestmark = pytest.mark.django_db


# --- filing SLAs ------------------------------------------------------------------------------


def _in_review(status, entered, *, province="440000"):
    operator = OperatorFactory(province_id=province)
    return FilingFactory(
        miniprogram__operator=operator, status=status, status_entered_at=at_beijing(entered)
    )


def test_authority_review_20_working_days_across_spring_festival_2024():
    # Entered Fri 2 Feb 2024; 20 working days (make-up Sundays 4 and 18 Feb count, 10–17 Feb
    # off) end Wed 6 Mar 2024 (checked day by day in test_workdays).
    filing = _in_review(FilingStatus.AUTHORITY_REVIEW, D(2024, 2, 2))
    rule = R.AUTHORITY_REVIEW_SLA
    item = item_for(rule, filing, D(2024, 2, 5))
    assert (item.status, item.due_date, item.estimated) == ("compliant", D(2024, 3, 6), False)
    # Working days left in (as_of, 6 Mar]: 27 Feb → 28, 29 Feb, 1, 4, 5, 6 Mar = 6.
    assert item_for(rule, filing, D(2024, 2, 27)).status == "compliant"
    assert item_for(rule, filing, D(2024, 2, 28)).status == "due_soon"  # 5 left
    assert item_for(rule, filing, D(2024, 3, 6)).status == "due_soon"  # 0 left
    late = item_for(rule, filing, D(2024, 3, 7))
    assert late.status == "overdue"
    assert "within 20 working days (due 2024-03-06)" in late.message


def test_authority_review_zhejiang_30_working_days():
    # Seeded Province 330000 has review_working_days = 30. Entered Fri 2 Feb 2024:
    # 20th working day Wed 6 Mar, +10 working days: Thu 7 Mar … Wed 20 Mar 2024.
    filing = _in_review(FilingStatus.AUTHORITY_REVIEW, D(2024, 2, 2), province="330000")
    rule = R.AUTHORITY_REVIEW_SLA
    item = item_for(rule, filing, D(2024, 3, 7))
    assert (item.status, item.due_date) == ("compliant", D(2024, 3, 20))
    assert "(9 working days left)" in item.message
    assert item_for(rule, filing, D(2024, 3, 12)).status == "compliant"  # 6 left
    assert item_for(rule, filing, D(2024, 3, 13)).status == "due_soon"  # 5 left
    assert item_for(rule, filing, D(2024, 3, 20)).status == "due_soon"
    assert item_for(rule, filing, D(2024, 3, 21)).status == "overdue"


def test_authority_review_into_2027_is_estimated():
    # Entered Mon 14 Dec 2026: the 20th working day falls in January 2027, whose schedule
    # is not published; the result says so instead of pretending.
    filing = _in_review(FilingStatus.AUTHORITY_REVIEW, D(2026, 12, 14))
    item = item_for(R.AUTHORITY_REVIEW_SLA, filing, D(2026, 12, 15))
    assert (item.due_date, item.estimated) == (D(2027, 1, 12), True)
    assert "holiday schedule for 2027 is not known" in item.message


def test_authority_review_known_2027_with_make_up_day_is_not_estimated():
    from compliance.models import CalendarOverride, KnownCalendarYear

    KnownCalendarYear.objects.create(year=2027, note="test notice")
    CalendarOverride.objects.create(date=D(2027, 1, 9), is_working_day=True, note="make-up")
    filing = _in_review(FilingStatus.AUTHORITY_REVIEW, D(2026, 12, 14))
    item = item_for(R.AUTHORITY_REVIEW_SLA, filing, D(2026, 12, 15))
    assert (item.due_date, item.estimated) == (D(2027, 1, 11), False)


def test_sla_not_applicable_before_the_stage_was_entered():
    filing = _in_review(FilingStatus.AUTHORITY_REVIEW, D(2024, 2, 2))
    assert item_for(R.AUTHORITY_REVIEW_SLA, filing, D(2024, 2, 1)).status == "not_applicable"
    assert item_for(R.AUTHORITY_REVIEW_SLA, filing, D(2024, 2, 2)).status == "compliant"


def test_sla_follows_the_history_as_of_the_date():
    # given an application that went provider review (Thu 1 Feb 2024) → authority review
    # (Mon 5 Feb) → approved (Fri 1 Mar), and is approved today
    filing = FilingFactory(status=FilingStatus.APPROVED)
    for frm, to, day in [
        (FilingStatus.DRAFT, FilingStatus.PROVIDER_REVIEW, D(2024, 2, 1)),
        (FilingStatus.PROVIDER_REVIEW, FilingStatus.AUTHORITY_REVIEW, D(2024, 2, 5)),
        (FilingStatus.AUTHORITY_REVIEW, FilingStatus.APPROVED, D(2024, 3, 1)),
    ]:
        FilingStatusChange.objects.create(
            filing=filing, from_status=frm, to_status=to, created_at=at_beijing(day)
        )
    sla_rules = {R.PROVIDER_REVIEW_SLA, R.AUTHORITY_REVIEW_SLA, R.SMS_VERIFICATION_WINDOW}

    def sla_items(as_of):
        return [
            (i.rule, i.status, i.due_date)
            for i in compliance_items(as_of=as_of, rules=sla_rules)
            if i.subject_id == filing.pk
        ]

    # then: before submission nothing; in provider review Thu 1 Feb → due Sun 4 Feb (make-up
    # day); in authority review from Mon 5 Feb → 20 working days (6–9 Feb, Sun 18 Feb, 19 Feb
    # – 1 Mar, 4–8 Mar) = Fri 8 Mar; once approved, none.
    assert sla_items(D(2024, 1, 31)) == []
    assert sla_items(D(2024, 2, 2)) == [("provider_review_sla", "compliant", D(2024, 2, 4))]
    assert sla_items(D(2024, 2, 5)) == [("authority_review_sla", "compliant", D(2024, 3, 8))]
    assert sla_items(D(2024, 2, 29)) == [("authority_review_sla", "compliant", D(2024, 3, 8))]
    assert sla_items(D(2024, 3, 1)) == []


def test_provider_review_2_working_days():
    # Entered Fri 27 Sep 2024: Sun 29 Sep (make-up) and Mon 30 Sep are the 2 working days.
    filing = _in_review(FilingStatus.PROVIDER_REVIEW, D(2024, 9, 27))
    rule = R.PROVIDER_REVIEW_SLA
    assert item_for(rule, filing, D(2024, 9, 28)).status == "compliant"
    item = item_for(rule, filing, D(2024, 9, 30))
    assert (item.status, item.due_date) == ("due_soon", D(2024, 9, 30))
    # Tue 1 Oct is a holiday: still overdue, the due date has passed.
    assert item_for(rule, filing, D(2024, 10, 1)).status == "overdue"


def test_sms_verification_24_hours():
    operator = OperatorFactory()
    filing = FilingFactory(
        miniprogram__operator=operator,
        status=FilingStatus.SMS_VERIFICATION,
        status_entered_at=at_beijing(D(2024, 5, 6), 15, 0),
    )
    rule = R.SMS_VERIFICATION_WINDOW
    item = item_for(rule, filing, D(2024, 5, 7))
    assert (item.status, item.due_date) == ("due_soon", D(2024, 5, 7))
    assert "by 2024-05-07 15:00 (Beijing time)" in item.message
    assert item_for(rule, filing, D(2024, 5, 8)).status == "overdue"


# --- change notice ----------------------------------------------------------------------------


def test_change_filing_30_days_ahead():
    filing = FilingFactory(kind=FilingKind.CHANGE, planned_for=D(2024, 7, 1))
    rule = R.CHANGE_NOTICE
    # Due 2024-06-01; warn 14 days.
    assert item_for(rule, filing, D(2024, 5, 17)).status == "compliant"
    assert item_for(rule, filing, D(2024, 5, 18)).status == "due_soon"
    item = item_for(rule, filing, D(2024, 6, 1))
    assert (item.status, item.due_date) == ("due_soon", D(2024, 6, 1))
    assert item_for(rule, filing, D(2024, 6, 2)).status == "overdue"
    FilingStatusChange.objects.create(
        filing=filing,
        from_status=FilingStatus.DRAFT,
        to_status=FilingStatus.PROVIDER_REVIEW,
        created_at=at_beijing(D(2024, 6, 5)),
    )
    assert item_for(rule, filing, D(2024, 6, 4)).status == "overdue"
    submitted = item_for(rule, filing, D(2024, 6, 5))
    assert submitted.status == "compliant"
    assert "submitted on 2024-06-05, less than 30 days before" in submitted.message


# --- domains ----------------------------------------------------------------------------------


def test_domain_expiry_three_months():
    domain = DomainFactory(expires_on=D(2024, 12, 31))
    rule = R.DOMAIN_EXPIRY
    assert item_for(rule, domain, D(2024, 10, 1)).status == "compliant"  # 91 days
    assert item_for(rule, domain, D(2024, 10, 2)).status == "due_soon"  # 90 days
    assert item_for(rule, domain, D(2024, 12, 31)).status == "due_soon"
    item = item_for(rule, domain, D(2025, 1, 1))
    assert (item.status, item.due_date) == ("overdue", D(2024, 12, 31))


def test_domain_real_name_only_for_domains_in_a_filing():
    unverified = DomainFactory(real_name_status=RealNameStatus.UNVERIFIED)
    rule = R.DOMAIN_REAL_NAME
    assert item_for(rule, unverified, D(2024, 6, 1)) is None
    approve(domain=unverified, on=at_beijing(D(2024, 6, 1)))
    assert item_for(rule, unverified, D(2024, 5, 31)) is None
    assert item_for(rule, unverified, D(2024, 6, 1)).status == "overdue"

    pending = DomainFactory(real_name_status=RealNameStatus.PENDING)
    FilingFactory(
        miniprogram=None,
        domain=pending,
        operator=pending.operator,
        status=FilingStatus.PROVIDER_REVIEW,
    )
    assert item_for(rule, pending, D(2024, 6, 1)).status == "due_soon"
    verified = DomainFactory(real_name_status=RealNameStatus.VERIFIED, icp_number="粤ICP备1号-1")
    assert item_for(rule, verified, D(2024, 6, 1)).status == "compliant"


def test_psb_filing_within_30_days_of_live_since():
    domain = DomainFactory(live_since=D(2024, 5, 1))
    rule = R.PSB_FILING
    assert item_for(rule, domain, D(2024, 4, 30)).status == "not_applicable"
    item = item_for(rule, domain, D(2024, 5, 31))
    assert (item.status, item.due_date) == ("due_soon", D(2024, 5, 31))
    assert item_for(rule, domain, D(2024, 6, 1)).status == "overdue"
    domain.psb_number = "44030502000001"
    domain.psb_filed_on = D(2024, 6, 10)
    domain.save()
    assert item_for(rule, domain, D(2024, 6, 9)).status == "overdue"
    assert item_for(rule, domain, D(2024, 6, 10)).status == "compliant"


# --- people -----------------------------------------------------------------------------------


def test_person_id_expiry_forces_change_filing():
    person = PersonFactory(id_expires_on=D(2024, 8, 31))
    rule = R.PERSON_ID_EXPIRY
    assert item_for(rule, person, D(2024, 7, 1)).status == "compliant"  # 61 days
    assert item_for(rule, person, D(2024, 7, 2)).status == "due_soon"  # 60 days
    assert item_for(rule, person, D(2024, 8, 31)).status == "due_soon"
    late = item_for(rule, person, D(2024, 9, 1))
    assert late.status == "overdue"
    assert "change filing" in late.message
    assert late.subject_type == "person"
    long_term = PersonFactory(id_expires_on=None)
    assert item_for(rule, long_term, D(2024, 9, 1)) is None


# --- licences ---------------------------------------------------------------------------------


def _licence(**kwargs):
    operator = OperatorFactory()
    return IcpLicence.objects.create(
        organization=operator.organization,
        operator=operator,
        number=f"粤B2-2020{operator.pk:04d}",
        **kwargs,
    )


def test_licence_renewal_90_days_before_expiry():
    licence = _licence(issued_on=D(2020, 1, 1), expires_on=D(2025, 3, 31))
    rule = R.LICENCE_RENEWAL
    # Apply by 2024-12-31 (90 days before); warn 30 days before that.
    assert item_for(rule, licence, D(2024, 11, 30)).status == "compliant"
    assert item_for(rule, licence, D(2024, 12, 1)).status == "due_soon"
    item = item_for(rule, licence, D(2024, 12, 31))
    assert (item.status, item.due_date) == ("due_soon", D(2024, 12, 31))
    assert "apply now" in item_for(rule, licence, D(2025, 1, 1)).message
    assert "expired on 2025-03-31" in item_for(rule, licence, D(2025, 4, 1)).message


def test_licence_annual_report_window():
    licence = _licence(issued_on=D(2020, 1, 1), last_annual_report_year=2022)
    rule = R.LICENCE_ANNUAL_REPORT
    # The 2023 report: 1 Jan – 31 Mar 2024.
    assert item_for(rule, licence, D(2023, 12, 31)).status == "compliant"  # 2022 report filed
    item = item_for(rule, licence, D(2024, 1, 1))
    assert (item.status, item.due_date) == ("due_soon", D(2024, 3, 31))
    assert item_for(rule, licence, D(2024, 3, 31)).status == "due_soon"
    late = item_for(rule, licence, D(2024, 4, 1))
    assert (late.status, late.due_date) == ("overdue", D(2024, 3, 31))
    licence.last_annual_report_year = 2023
    licence.save()
    filed = item_for(rule, licence, D(2024, 4, 1))
    assert (filed.status, filed.due_date) == ("compliant", D(2025, 3, 31))


def test_licence_issued_this_year_owes_no_report():
    licence = _licence(issued_on=D(2024, 2, 1))
    assert item_for(R.LICENCE_ANNUAL_REPORT, licence, D(2024, 4, 1)).status == "not_applicable"
    assert item_for(R.LICENCE_ANNUAL_REPORT, licence, D(2025, 4, 1)).status == "overdue"


def test_as_of_must_be_a_date():
    with pytest.raises(TypeError):
        compliance_items(as_of=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
