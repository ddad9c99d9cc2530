from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from filings.signals import filing_transitioned

        from . import receivers

        filing_transitioned.connect(
            receivers.reminders_resync_on_transition,
            dispatch_uid="notifications.reminders_resync_on_transition",
        )
