"""Model signals that mark what the compliance rows must re-evaluate (compliance.tracking).

Every save or delete of a subject marks its operator, whoever made it — a service, the admin,
a connector, a shell. Bulk writes that bypass signals (QuerySet.update, bulk_create) call
compliance.tracking.operators_changed themselves.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from documents.models import Document
from filings.models import FilingApplication, FilingStatusChange
from miniprograms.models import (
    Domain,
    IcpLicence,
    MiniProgram,
    Operator,
    PreApproval,
    Province,
    ResponsiblePerson,
)

from . import tracking
from .models import CalendarOverride, ComplianceRule, KnownCalendarYear

SUBJECTS = (
    MiniProgram,
    Domain,
    ResponsiblePerson,
    IcpLicence,
    PreApproval,
    Document,
    FilingApplication,
)
# Rows every operator's items depend on: the rules, the calendar, provinces' review times.
REFERENCE = (ComplianceRule, CalendarOverride, KnownCalendarYear, Province)


def subject_changed(sender, instance, **kwargs) -> None:
    tracking.operators_changed([instance.operator_id])


def operator_saved(sender, instance, **kwargs) -> None:
    tracking.operators_changed([instance.pk])


def status_change_saved(sender, instance, **kwargs) -> None:
    # filing_transition hands over the application it holds: no query then.
    if FilingStatusChange.filing.is_cached(instance):
        operator_id = instance.filing.operator_id
    else:
        operator_id = (
            FilingApplication.objects.filter(pk=instance.filing_id)
            .values_list("operator_id", flat=True)
            .first()
        )
    tracking.operators_changed([operator_id])


def reference_changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata
    tracking.everything_changed()


def connect() -> None:
    for model in SUBJECTS:
        uid = f"compliance.{model._meta.label_lower}"
        post_save.connect(subject_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(subject_changed, sender=model, dispatch_uid=f"{uid}.delete")
    post_save.connect(operator_saved, sender=Operator, dispatch_uid="compliance.operator.save")
    post_save.connect(
        status_change_saved, sender=FilingStatusChange, dispatch_uid="compliance.statuschange"
    )
    for reference in REFERENCE:
        uid = f"compliance.ref.{reference._meta.label_lower}"
        post_save.connect(reference_changed, sender=reference, dispatch_uid=f"{uid}.save")
        post_delete.connect(reference_changed, sender=reference, dispatch_uid=f"{uid}.delete")
