from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401 — registers the system checks
            receivers,
        )

        receivers.connect()
