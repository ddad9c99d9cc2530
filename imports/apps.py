from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Import")

    def ready(self) -> None:
        from core import purge

        from .retention import import_uploads_purge

        purge.register("imports", import_uploads_purge)
