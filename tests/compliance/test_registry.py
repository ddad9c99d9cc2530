"""Rules register their evaluator with their code; a system check matches them with the rows."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from compliance import checks, registry
from compliance.engine import UnknownRuleError, compliance_items
from compliance.engine.filings import filing_sla_items
from compliance.engine.services import miniprogram_items
from compliance.models import ComplianceRule
from compliance.rules import ALL_RULES, DEFAULT_PARAMS
from compliance.types import EvaluatedItem
from miniprograms.models import Operator
from tests.factories import OperatorFactory

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2024, 5, 6)


@pytest.fixture
def scratch_registry(monkeypatch):
    """The real registrations, restored after the test."""
    monkeypatch.setattr(registry, "_EVALUATORS", dict(registry._EVALUATORS))
    return registry


def _one_item_per_operator(code: str):
    def evaluate(ctx, scope) -> Iterator[EvaluatedItem]:
        for op in Operator.objects.all():  # every operator: the tests pass no scope
            yield EvaluatedItem(
                rule=code,
                subject_type="operator",
                subject_id=op.pk,
                subject_name=op.name_zh,
                operator_id=op.pk,
                operator_name=op.name_zh,
                organization_id=op.organization_id,
                province_code=op.province_id,
                status="due_soon",
                due_date=ctx.as_of,
                estimated=False,
                note={"t": f"{code} {ctx.params[code]['answer']}"},
            )

    return evaluate


def test_every_known_rule_has_exactly_its_evaluator():
    assert registry.registered_codes() == set(ALL_RULES) == set(DEFAULT_PARAMS)
    assert registry.evaluator_for("provider_review_sla") is filing_sla_items
    assert registry.evaluator_for("inspection_window") is miniprogram_items
    assert registry.evaluator_for("no_such_rule") is None


def test_one_evaluator_per_group_of_codes():
    found = registry.evaluators_for(["authority_review_sla", "provider_review_sla"])
    assert found == [filing_sla_items]


def test_a_second_evaluator_for_a_code_is_refused(scratch_registry):
    def other(ctx, scope):
        return iter(())

    with pytest.raises(ImproperlyConfigured, match="domain_expiry"):
        scratch_registry.rule("domain_expiry")(other)
    assert scratch_registry.evaluator_for("domain_expiry").__name__ == "domain_items"


def test_a_rule_needs_a_code():
    with pytest.raises(ImproperlyConfigured):
        registry.rule()


def test_engine_dispatches_a_new_rule_through_the_registry(scratch_registry):
    # given: a new evaluator and its row
    operator = OperatorFactory()
    scratch_registry.rule("test_new_rule")(_one_item_per_operator("test_new_rule"))
    ComplianceRule.objects.create(code="test_new_rule", title="New", params={"answer": 42})
    # when
    items = compliance_items(as_of=AS_OF, rules=["test_new_rule"])
    # then
    assert [(i.rule, i.subject_id, i.message) for i in items] == [
        ("test_new_rule", operator.pk, "test_new_rule 42")
    ]


def test_a_registered_rule_without_an_active_row_is_not_evaluated(scratch_registry):
    OperatorFactory()
    scratch_registry.rule("test_new_rule")(_one_item_per_operator("test_new_rule"))
    assert compliance_items(as_of=AS_OF, rules=["test_new_rule"]) == []
    ComplianceRule.objects.create(code="test_new_rule", title="New", active=False)
    assert compliance_items(as_of=AS_OF, rules=["test_new_rule"]) == []


def test_a_code_without_an_evaluator_is_unknown_to_the_engine():
    ComplianceRule.objects.create(code="test_orphan", title="Orphan")
    with pytest.raises(UnknownRuleError, match="test_orphan"):
        compliance_items(as_of=AS_OF, rules=["test_orphan"])


def _check() -> list:
    return checks.check_rule_rows_match_evaluators(databases=["default"])


def test_seeded_database_passes_the_check():
    assert _check() == []


def test_check_runs_only_when_asked_for_a_database():
    ComplianceRule.objects.filter(code="domain_expiry").delete()
    assert checks.check_rule_rows_match_evaluators(databases=None) == []


def test_evaluator_without_its_row_is_an_error():
    ComplianceRule.objects.filter(code="domain_expiry").delete()
    messages = _check()
    assert [(m.id, m.level) for m in messages] == [("compliance.E001", 40)]
    assert "'domain_expiry'" in messages[0].msg


def test_row_without_an_evaluator_is_a_warning():
    ComplianceRule.objects.create(code="test_orphan", title="Orphan")
    messages = _check()
    assert [(m.id, m.level) for m in messages] == [("compliance.W001", 30)]
    assert "'test_orphan'" in messages[0].msg


def test_manage_py_check_with_the_database_fails_on_a_missing_row():
    ComplianceRule.objects.filter(code="psb_filing").delete()
    with pytest.raises(SystemCheckError, match="psb_filing"):
        call_command("check", "--database", "default")
    call_command("check")  # without the database tag: nothing to say


def test_check_waits_while_migrations_are_pending(monkeypatch):
    ComplianceRule.objects.filter(code="psb_filing").delete()
    monkeypatch.setattr(checks, "_migrations_pending", lambda alias: True)
    assert _check() == []
