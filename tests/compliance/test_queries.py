"""The engine is set-based: the same number of queries for N and 10×N rows of every kind."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.calendar import get_workday_calendar
from compliance.engine import compliance_items
from filings.models import FilingKind, FilingStatus
from miniprograms.models import IcpLicence, Lifecycle, Operator, RealNameStatus
from tests.factories import (
    CertificationReviewFactory,
    DomainFactory,
    FaceVerifyTaskFactory,
    FilingFactory,
    MiniProgramFactory,
    OperatorFactory,
    PersonFactory,
)

from .helpers import D, approve, at_beijing

pytestmark = pytest.mark.django_db


def _portfolio(org, n):
    """n operators, each with every kind of subject the rules look at."""
    statuses = [
        FilingStatus.AUTHORITY_REVIEW,
        FilingStatus.SMS_VERIFICATION,
        FilingStatus.PROVIDER_REVIEW,
    ]
    for i in range(n):
        op = OperatorFactory(organization=org, province_id="330000" if i % 2 else "440000")
        old = MiniProgramFactory(operator=op, launch_date=D(2022, 6, 1))
        MiniProgramFactory(
            operator=op, launch_date=D(2024, 6, 1), lifecycle=Lifecycle.IN_DEVELOPMENT
        )
        domain = DomainFactory(
            operator=op, live_since=D(2024, 1, 1), real_name_status=RealNameStatus.PENDING
        )
        approve(domain=domain, on=at_beijing(D(2023, 12, 1)))
        # every operator's, so that filed services (and their verification items) grow
        # with the rows like everything else
        approve(miniprogram=old, on=at_beijing(D(2024, 2, 1)))
        FilingFactory(
            miniprogram__operator=op,
            status=statuses[i % 3],
            status_entered_at=at_beijing(D(2024, 3, 1)),
        )
        FilingFactory(miniprogram__operator=op, kind=FilingKind.CHANGE, planned_for=D(2024, 5, 1))
        PersonFactory(operator=op, id_expires_on=D(2024, 4, 15))
        # what connectors learn: a certification review and a face-verification task
        CertificationReviewFactory(
            miniprogram=old,
            expires_at=at_beijing(D(2024, 4, 30)),
            notified_at=at_beijing(D(2024, 3, 1)),
        )
        FaceVerifyTaskFactory(
            miniprogram=old,
            created_at=at_beijing(D(2024, 3, 14)),
            expires_at=at_beijing(D(2024, 3, 17)),
        )
        IcpLicence.objects.create(
            organization=org,
            operator=op,
            number=f"浙B2-{op.pk:08d}",
            expires_on=D(2024, 8, 1),
            issued_on=D(2019, 8, 1),
        )


def _count(**kwargs):
    with CaptureQueriesContext(connection) as ctx:
        items = compliance_items(as_of=D(2024, 3, 15), **kwargs)
    return len(ctx.captured_queries), items


def test_query_count_does_not_grow_with_rows(org):
    # given N operators
    _portfolio(org, 3)
    few_queries, few_items = _count()
    # when there are 10×N
    _portfolio(org, 27)
    many_queries, many_items = _count()
    # then
    assert len(many_items) == 10 * len(few_items)
    assert many_queries == few_queries
    # rules + 2 calendar + mini-programs, filings in flight, change filings, domains,
    # people, licences, pre-approvals, documents, record states of domains and of
    # mini-programs, provider notices, filed mini-programs and domains (verifications),
    # websites with their last display check, certification reviews, face-verification tasks
    assert few_queries == 19
    rules_seen = {i.rule for i in many_items}
    # every rule except the message-only inspection window and the lookup mismatch (no
    # lookups here)
    assert len(rules_seen) == 17


def test_query_count_with_scope_and_calendar_passed_in(org, other_org):
    _portfolio(org, 2)
    _portfolio(other_org, 5)
    calendar = get_workday_calendar()
    operators = Operator.objects.filter(organization=org)
    queries, items = _count(operators=operators, calendar=calendar)
    assert queries == 17  # 1 for the rules + 16 subject queries
    assert {i.organization_id for i in items} == {org.pk}
    assert len({i.operator_id for i in items}) == 2


def test_one_rule_costs_one_query_plus_rules_and_calendar(org):
    _portfolio(org, 4)
    queries, items = _count(rules=["person_id_expiry"])
    assert queries == 4
    assert {i.rule for i in items} == {"person_id_expiry"}
    assert len(items) == 4
