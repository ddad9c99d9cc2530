from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self) -> None:
        from filings.signals import filing_transitioned

        from . import receivers

        filing_transitioned.connect(
            receivers.reminders_resync_on_transition,
            dispatch_uid="notifications.reminders_resync_on_transition",
        )
