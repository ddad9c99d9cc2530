"""Settings of the Celery worker the integration tests start: the test settings, with e-mail
written to files (EMAIL_FILE_PATH) so that the test process can count what the worker sent."""

from icpfiling.settings.test import *  # noqa: F403
from icpfiling.settings.test import env

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH")
