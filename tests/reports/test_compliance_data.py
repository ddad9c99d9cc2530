"""Reports and the compliance export read today's rows and evaluate other dates."""

from __future__ import annotations

import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

import compliance.selectors
import reports.data.compliance
from compliance import tracking
from reports import data
from reports.exports import _compliance_columns, export_rows
from tests.factories import DomainFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def engine_spy(monkeypatch):
    calls: list[dict] = []
    real = compliance.selectors.compliance_items_for_user

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(reports.data.compliance, "compliance_items_for_user", spy)
    monkeypatch.setattr(compliance.selectors, "compliance_items_for_user", spy)
    return calls


@pytest.fixture
def domains(operator, other_operator):
    today = timezone.localdate()
    late = DomainFactory(
        operator=operator, name="late.cn", expires_on=today - datetime.timedelta(1)
    )
    DomainFactory(operator=operator, name="soon.cn", expires_on=today + datetime.timedelta(10))
    DomainFactory(operator=other_operator, name="leak-check.cn", expires_on=today)
    tracking.flush()
    return late


def test_dossier_today_reads_rows(manager, operator, domains, engine_spy):
    ctx = data.dossier_context(user=manager, operator_id=operator.pk, as_of=timezone.localdate())
    assert engine_spy == []
    assert [i.subject_name for i in ctx["overdue"]] == ["late.cn"]
    assert [i.subject_name for i in ctx["due_soon"]] == ["soon.cn"]
    by_name = {line.name: line.compliance for line in ctx["services"]}
    assert by_name["late.cn"] == "overdue"
    assert by_name["soon.cn"] == "due_soon"


def test_dossier_as_of_another_date_evaluates_that_operator(manager, operator, domains, engine_spy):
    as_of = timezone.localdate() - datetime.timedelta(days=30)
    ctx = data.dossier_context(user=manager, operator_id=operator.pk, as_of=as_of)
    assert [c["operator_id"] for c in engine_spy] == [operator.pk]
    assert "late.cn" not in [i.subject_name for i in ctx["overdue"]]  # not yet expired then


def test_portfolio_today_never_shows_another_tenant(manager, operator, domains, engine_spy):
    ctx = data.portfolio_context(user=manager, as_of=timezone.localdate())
    assert engine_spy == []
    names = [i.subject_name for i in ctx["overdue"] + ctx["due_soon"]]
    assert sorted(names) == ["late.cn", "soon.cn"]
    assert {i.operator_id for i in ctx["overdue"] + ctx["due_soon"]} == {operator.pk}


def test_compliance_export_today_streams_rows(manager, operator, domains, engine_spy):
    export = export_rows(user=manager, resource="compliance", params=QueryDict("status=overdue"))
    values = list(export.rows)
    assert engine_spy == []
    subject = [c.key for c in _compliance_columns(False)].index("subject")
    assert [r[subject] for r in values] == ["late.cn"]
    old = export_rows(
        user=manager, resource="compliance", params=QueryDict("as_of=2024-03-01&status=overdue")
    )
    assert "late.cn" not in [r[subject] for r in old.rows]
    assert len(engine_spy) == 1
