from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from filings.signals import readiness_requested

        from .readiness import on_readiness_requested

        readiness_requested.connect(
            on_readiness_requested, dispatch_uid="documents.on_readiness_requested"
        )
