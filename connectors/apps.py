from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConnectorsConfig(AppConfig):
    name = "connectors"
    verbose_name = _("Connectors")

    def ready(self) -> None:
        # Registers the connector kinds (connectors.registry) and this app's evaluators
        # (compliance.registry).
        from . import evaluators, kinds  # noqa: F401
