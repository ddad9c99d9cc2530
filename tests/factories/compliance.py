"""Factories for compliance rules and the working-day calendar."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from compliance.models import CalendarOverride, ComplianceRule, KnownCalendarYear


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
