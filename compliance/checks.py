"""System checks: every registered evaluator has its seeded rule row, and every row has an
evaluator (compliance.registry).

Tagged `database`: they run with `manage.py check --database default` and before `migrate`
applies anything. They stay silent while migrations are pending, so a new rule's seed
migration can always be applied.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

SEED_HINT = (
    "Seed the row in a data migration (as compliance/migrations/0002_seed_rules_and_calendar.py "
    "does), or remove the evaluator."
)
ORPHAN_HINT = (
    "Register an evaluator with @compliance.registry.rule(code), or delete the row in the admin."
)


def _migrations_pending(alias: str) -> bool:
    executor = MigrationExecutor(connections[alias])
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _stored_codes(alias: str) -> set[str] | None:
    """The codes of the rule rows, None if they cannot be judged yet (no table, pending
    migrations)."""
    from .models import ComplianceRule

    try:
        if _migrations_pending(alias):
            return None
        return set(ComplianceRule.objects.using(alias).values_list("code", flat=True))
    except DatabaseError:
        return None


def rule_messages(registered: Iterable[str], stored: Iterable[str]) -> list[CheckMessage]:
    """Errors for evaluators without a row, warnings for rows without an evaluator."""
    registered, stored = set(registered), set(stored)
    messages: list[CheckMessage] = [
        Error(
            f"Compliance rule {code!r} has an evaluator but no ComplianceRule row: "
            "it is never evaluated.",
            hint=SEED_HINT,
            id="compliance.E001",
        )
        for code in sorted(registered - stored)
    ]
    messages += [
        Warning(
            f"ComplianceRule row {code!r} has no registered evaluator: it is never evaluated.",
            hint=ORPHAN_HINT,
            id="compliance.W001",
        )
        for code in sorted(stored - registered)
    ]
    return messages


@register(Tags.database)
def check_rule_rows_match_evaluators(
    app_configs: Sequence[Any] | None = None,
    databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[CheckMessage]:
    if not databases or "default" not in databases:
        return []
    from . import engine  # noqa: F401 — importing the engine registers every evaluator
    from .registry import registered_codes

    stored = _stored_codes("default")
    if stored is None:
        return []
    return rule_messages(registered_codes(), stored)
