"""A certification review or face-verification task saved or deleted — by a connector's sync,
a push, the admin or a shell — marks its mini-program's operator for the compliance rows
(compliance.tracking), like compliance/receivers.py does for the register's subjects.

Connected once from connectors.evaluators (imported by ConnectorsConfig.ready).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from compliance import tracking
from miniprograms.models import MiniProgram

from .models import CertificationReview, FaceVerifyTask


def _operator_id(instance: CertificationReview | FaceVerifyTask) -> int | None:
    # A caller holding the mini-program hands it over: no query then.
    if type(instance).miniprogram.is_cached(instance):
        return instance.miniprogram.operator_id
    # None when the mini-program is being deleted (its own deletion marks the operator).
    return (
        MiniProgram.objects.filter(pk=instance.miniprogram_id)
        .values_list("operator_id", flat=True)
        .first()
    )


def connector_subject_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata
    tracking.operators_changed([_operator_id(instance)])


def connect() -> None:
    for model in (CertificationReview, FaceVerifyTask):
        uid = f"connectors.{model._meta.label_lower}"
        post_save.connect(connector_subject_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(connector_subject_changed, sender=model, dispatch_uid=f"{uid}.delete")
