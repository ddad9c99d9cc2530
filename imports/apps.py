from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Import")

    def ready(self) -> None:
        from core import purge

        from .retention import import_run_purge_expired

        purge.register("imports", lambda: import_run_purge_expired())
