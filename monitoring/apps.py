from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring after approval")

    def ready(self) -> None:
        # Registers this app's evaluators with compliance.registry.
        from . import evaluators  # noqa: F401
