from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("Compliance")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401 — registers the system checks
            receivers,
        )

        receivers.connect()
