"""Which evaluator answers for which compliance rule.

A rule is two halves: a ComplianceRule row (seeded by a data migration, edited by staff in the
admin: title, source, parameters, on/off) and a Python evaluator. An evaluator registers
itself with the codes it answers for::

    @rule(RuleCode.DOMAIN_EXPIRY, RuleCode.DOMAIN_REAL_NAME)
    def domain_items(ctx: Ctx, scope: Q) -> Iterator[EvaluatedItem]: ...

One evaluator may answer for several codes: it reads one kind of subject with one query and
judges every rule about it (see compliance.engine). The engine calls each evaluator once if
any of its codes is active. The system check in compliance.checks reports a code registered
here without its row (an error: the rule would be silently inactive) and a row whose code has
no evaluator (a warning).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeAlias

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.db.models import Q

    from .engine.base import Ctx
    from .types import EvaluatedItem

Evaluator: TypeAlias = "Callable[[Ctx, Q], Iterator[EvaluatedItem]]"

_EVALUATORS: dict[str, Evaluator] = {}


def _name(evaluate: Evaluator) -> str:
    return f"{evaluate.__module__}.{evaluate.__qualname__}"


def rule(*codes: str) -> Callable[[Evaluator], Evaluator]:
    """Register the decorated evaluator as the one for each of `codes`.

    Raises ImproperlyConfigured when a code already has another evaluator (re-importing the
    same function, e.g. on reload, is allowed).
    """
    if not codes:
        raise ImproperlyConfigured("@rule() needs at least one rule code.")

    def register(evaluate: Evaluator) -> Evaluator:
        for code in codes:
            existing = _EVALUATORS.get(code)
            if existing is not None and _name(existing) != _name(evaluate):
                raise ImproperlyConfigured(
                    f"Compliance rule {code!r} has two evaluators: "
                    f"{_name(existing)} and {_name(evaluate)}."
                )
        for code in codes:
            _EVALUATORS[code] = evaluate
        return evaluate

    return register


def registered_codes() -> frozenset[str]:
    """Every rule code that has an evaluator."""
    return frozenset(_EVALUATORS)


def evaluator_for(code: str) -> Evaluator | None:
    return _EVALUATORS.get(code)


def evaluators_for(codes: Iterable[str]) -> list[Evaluator]:
    """The evaluators answering for `codes`, each once, in registration order."""
    wanted = set(codes)
    seen: dict[str, Evaluator] = {}
    for code, evaluate in _EVALUATORS.items():
        if code in wanted:
            seen.setdefault(_name(evaluate), evaluate)
    return list(seen.values())
