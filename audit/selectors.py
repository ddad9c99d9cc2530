"""Reading the audit log: scoped through accounts.access, filtered like the page asks."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from accounts.access import audit_log_organization_ids
from accounts.types import User
from core.dates import parse_query_date_or_none

from .actions import AccessAction
from .models import AuditEntry

# The action filter: the three change kinds and every access event, by one key each.
CHANGE_ACTIONS = {
    "create": AuditEntry.Action.CREATE,
    "update": AuditEntry.Action.UPDATE,
    "delete": AuditEntry.Action.DELETE,
}


def action_choices() -> list[tuple[str, str]]:
    """(key, label) for the action filter."""
    labels = dict(AuditEntry.Action.choices)
    changes = [(key, str(labels[value])) for key, value in CHANGE_ACTIONS.items()]
    return changes + [(a.value, str(a.label)) for a in AccessAction]


def entry_list_for_user(*, user: User) -> QuerySet[AuditEntry]:
    """The entries the user may read, newest first."""
    qs = AuditEntry.objects.select_related("actor", "content_type", "organization")
    ids = audit_log_organization_ids(user=user)
    if ids is None:
        return qs
    return qs.filter(organization_id__in=ids)


@dataclass
class EntryFilters:
    """What the page or the API narrows the log to."""

    person: str = ""  # actor's username or label (exact, case-insensitive)
    object_type: str = ""  # "app_label.model"
    search: str = ""  # in the object's name
    action: str = ""  # a key of action_choices()
    organization: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def parse_filters(params: QueryDict) -> tuple[EntryFilters, list[str]]:
    """The filters in `params`, and a message for each one that is not understood."""
    errors: list[str] = []
    f = EntryFilters(
        person=(params.get("person") or "").strip(),
        object_type=(params.get("object_type") or "").strip().lower(),
        search=(params.get("q") or "").strip(),
        action=(params.get("action") or "").strip(),
    )
    if f.action and f.action not in dict(action_choices()):
        errors.append(_("Unknown action “%(value)s”.") % {"value": f.action})
    raw_org = (params.get("organization") or "").strip()
    if raw_org:
        if re.fullmatch(r"[0-9]{1,18}", raw_org):
            f.organization = int(raw_org)
        else:
            errors.append(_("Unknown organization “%(value)s”.") % {"value": raw_org})
    for name in ("date_from", "date_to"):
        raw = (params.get(name) or "").strip()
        if not raw:
            continue
        parsed = parse_query_date_or_none(raw)
        if parsed is None:
            errors.append(_("“%(value)s” is not a date; use the form YYYY-MM-DD.") % {"value": raw})
        setattr(f, name, parsed)
    return f, errors


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def entries_filtered(qs: QuerySet[AuditEntry], f: EntryFilters) -> QuerySet[AuditEntry]:
    """`qs` narrowed by the filters."""
    if f.person:
        qs = qs.filter(Q(actor_label__iexact=f.person) | Q(actor__username__iexact=f.person))
    if f.object_type:
        app_label, _sep, model = f.object_type.partition(".")
        ct = ContentType.objects.filter(app_label=app_label, model=model).first()
        qs = qs.filter(content_type=ct) if ct is not None else qs.none()
    if f.search:
        qs = qs.filter(Q(object_repr__icontains=f.search) | Q(object_pk=f.search))
    if f.action in CHANGE_ACTIONS:
        qs = qs.filter(action=CHANGE_ACTIONS[f.action])
    elif f.action:
        qs = qs.filter(access=f.action)
    if f.organization is not None:
        qs = qs.filter(organization_id=f.organization)
    if f.date_from is not None:
        qs = qs.filter(timestamp__gte=_day_start(f.date_from))
    if f.date_to is not None:
        qs = qs.filter(timestamp__lt=_day_start(f.date_to + datetime.timedelta(days=1)))
    return qs


def object_type_choices() -> list[tuple[str, str]]:
    """("app_label.model", verbose name) of every model that has entries in the log."""
    from .tracked import TRACKED

    labels = [t.label.lower() for t in TRACKED] + ["accounts.user"]
    out = []
    for label in labels:
        app_label, model = label.split(".")
        ct = ContentType.objects.get_by_natural_key(app_label, model)
        model_class = ct.model_class()
        if model_class is not None:
            out.append((label, str(model_class._meta.verbose_name)))
    return sorted(out, key=lambda x: x[1])


def changes_text(entry: AuditEntry) -> str:
    """The changed fields as "field: old → new; …" (masked values stay "***")."""
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    parts = []
    for name, values in changes.items():
        if isinstance(values, list | tuple) and len(values) == 2:
            parts.append(f"{name}: {values[0]} → {values[1]}")
        else:
            parts.append(f"{name}: {values}")
    return "; ".join(parts)


def changed_fields_label(entry: AuditEntry) -> str:
    """The names of the changed fields in the active language (the page's summary; the
    values are in the CSV export, the API and the admin).
    """
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    model = entry.content_type.model_class()
    names = []
    for name in changes:
        try:
            field = model._meta.get_field(name) if model is not None else None
        except FieldDoesNotExist:
            field = None
        # A verbose name Django made from the field's name is still looked up in the catalog.
        names.append(gettext(str(getattr(field, "verbose_name", name))))
    return ", ".join(names)


def object_type_label(entry: AuditEntry) -> str:
    """What kind of row the entry is about, in words."""
    model = entry.content_type.model_class()
    return str(model._meta.verbose_name) if model is not None else entry.content_type.model
