import logging
import os

from celery import Celery
from celery.signals import worker_init
from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icpfiling.settings.local")

app = Celery("icpfiling")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def refuse_wrong_key(**kwargs: object) -> None:
    """A worker whose FIELD_ENCRYPTION_KEY cannot open the stored canary does not start.

    Celery logs and swallows a receiver's exception: SystemExit is what stops the worker.
    """
    from core.keys import refuse_wrong_key as verify

    try:
        verify()
    except ImproperlyConfigured as e:
        logging.getLogger(__name__).critical("%s", e)
        raise SystemExit(str(e)) from e
