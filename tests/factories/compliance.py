"""Factories for compliance rules and the working-day calendar."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from compliance.models import (
    CalendarOverride,
    ComplianceItem,
    ComplianceItemEvent,
    ComplianceRule,
    KnownCalendarYear,
    OperatorCompliance,
)


class ComplianceRuleFactory(DjangoModelFactory[ComplianceRule]):
    """An inactive rule with its own code: the seeded rules stay as the migrations left them."""

    class Meta:
        model = ComplianceRule

    code = factory.Sequence(lambda n: f"test_rule_{n}")
    title = factory.Sequence(lambda n: f"Test rule {n}")
    description = "A rule made by a test."
    active = False


class CalendarOverrideFactory(DjangoModelFactory[CalendarOverride]):
    """A make-up working day (调休) on a Saturday far from the years the tests use."""

    class Meta:
        model = CalendarOverride

    date = factory.Sequence(lambda n: datetime.date(2090, 1, 7) + datetime.timedelta(weeks=n))
    is_working_day = True
    note = "调休"


class KnownCalendarYearFactory(DjangoModelFactory[KnownCalendarYear]):
    class Meta:
        model = KnownCalendarYear

    year = factory.Sequence(lambda n: 2100 + n)
    note = "test"


class ComplianceItemFactory(DjangoModelFactory[ComplianceItem]):
    """A stored item as compliance.store writes it (tests of readers that need a given row;
    most tests let the store evaluate real subjects instead)."""

    class Meta:
        model = ComplianceItem

    operator = factory.SubFactory("tests.factories.miniprograms.OperatorFactory")
    organization = factory.SelfAttribute("operator.organization")
    operator_name = factory.SelfAttribute("operator.name_zh")
    province_code = factory.SelfAttribute("operator.province_id")
    subject_type = "domain"
    subject_id = factory.Sequence(lambda n: 900_000 + n)
    subject_name = factory.Sequence(lambda n: f"example{n}.cn")
    rule = "domain_expiry"
    due_date = datetime.date(2030, 1, 1)
    due_key = factory.SelfAttribute("due_date")
    status = "compliant"
    severity = 1
    note = factory.LazyAttribute(
        lambda o: {
            "t": "%(name)s is registered until %(expires)s.",
            "v": {"name": o.subject_name, "expires": "2030-01-01"},
        }
    )
    evaluated_on = factory.LazyFunction(timezone.localdate)
    first_seen_at = factory.LazyFunction(timezone.now)
    last_evaluated_at = factory.LazyFunction(timezone.now)
    status_changed_at = factory.LazyFunction(timezone.now)


class ComplianceItemEventFactory(DjangoModelFactory[ComplianceItemEvent]):
    class Meta:
        model = ComplianceItemEvent

    item = factory.SubFactory(ComplianceItemFactory)
    at = factory.LazyFunction(timezone.now)
    kind = "opened"
    to_status = "due_soon"


class OperatorComplianceFactory(DjangoModelFactory[OperatorCompliance]):
    class Meta:
        model = OperatorCompliance
        django_get_or_create = ("operator",)

    operator = factory.SubFactory("tests.factories.miniprograms.OperatorFactory")
    organization = factory.SelfAttribute("operator.organization")
    worst_status = "not_applicable"
    evaluated_on = factory.LazyFunction(timezone.localdate)
    updated_at = factory.LazyFunction(timezone.now)
