from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Transport options of kombu's filesystem broker that name a folder.
BROKER_FOLDER_OPTIONS = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")


def broker_folders_ensure() -> list[Path]:
    """Create the filesystem broker's folders (settings.celery) and return them.

    The transport fails on a missing folder. Web, worker, beat and commands all start Django
    (Celery's Django fix-up calls django.setup()), so doing this when the apps are ready
    covers every entry point while importing settings stays free of side effects.
    Nothing to do with Redis.
    """
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        return []
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    folders = [Path(str(options[key])) for key in BROKER_FOLDER_OPTIONS if key in options]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    return folders


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        broker_folders_ensure()
        from django.contrib.auth.signals import user_logged_in

        from .sessions import session_stamp_sign_in

        # A session's idle and absolute limits count from sign-in (core.middleware).
        user_logged_in.connect(session_stamp_sign_in, dispatch_uid="core.session_stamp_sign_in")
        from . import purge
        from .idempotency import idempotency_keys_purge

        # Submission keys older than IDEMPOTENCY_KEY_TTL, with the nightly `core.purge`.
        purge.register("idempotency-keys", idempotency_keys_purge)
