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


def _canary_after_migrate(*, using: str, **kwargs: object) -> None:
    from .keys import ensure_canary

    ensure_canary(using)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        broker_folders_ensure()
        from django.core import checks
        from django.db.models.signals import post_migrate

        from . import keys

        # A wrong FIELD_ENCRYPTION_KEY stops `check`, `runserver`, `migrate` and the worker's
        # checks; wsgi, asgi and the worker's worker_init call keys.refuse_wrong_key too.
        checks.register(keys.check_encryption_key)
        post_migrate.connect(_canary_after_migrate, sender=self)
        from django.contrib.auth.signals import user_logged_in

        from .sessions import session_stamp_sign_in

        # A session's idle and absolute limits count from sign-in (core.middleware).
        user_logged_in.connect(session_stamp_sign_in, dispatch_uid="core.session_stamp_sign_in")
        from . import purge
        from .idempotency import idempotency_keys_purge

        # Submission keys older than IDEMPOTENCY_KEY_TTL, with the nightly `core.purge`.
        purge.register("idempotency-keys", idempotency_keys_purge)
