"""A notice saved or deleted outside the services (the admin, a shell) still marks its
operator for the compliance rows (compliance.tracking), like compliance/receivers.py."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from compliance import tracking

from ..models import ProviderNotice


def notice_changed(sender, instance, **kwargs) -> None:
    tracking.operators_changed([instance.operator_id])


def connect() -> None:
    uid = "monitoring.providernotice"
    post_save.connect(notice_changed, sender=ProviderNotice, dispatch_uid=f"{uid}.save")
    post_delete.connect(notice_changed, sender=ProviderNotice, dispatch_uid=f"{uid}.delete")
