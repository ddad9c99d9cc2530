import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icpfiling.settings.local")
application = get_wsgi_application()

from core.keys import refuse_wrong_key  # noqa: E402 (needs the apps loaded)

# A FIELD_ENCRYPTION_KEY that cannot open the stored canary: no web process at all.
refuse_wrong_key()
