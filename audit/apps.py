from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from core import purge

        from . import receivers  # noqa: F401  (sign-in, role and SSO events)
        from .services import audit_entries_purge
        from .tracked import register_tracked_models

        register_tracked_models()
        # Entries older than AUDIT_RETENTION_DAYS, with the nightly `core.purge`.
        purge.register("audit-log", audit_entries_purge)
